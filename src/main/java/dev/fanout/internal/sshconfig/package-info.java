/**
 * fanout's reader of OpenSSH client configuration ({@code ~/.ssh/config}, {@code ssh -F FILE}), one for both
 * drivers so they cannot disagree: the file and its {@code Include}s parsed once
 * ({@link dev.fanout.internal.sshconfig.SshConfigParser}), then each host resolved the way {@code ssh} resolves it
 * ({@link dev.fanout.internal.sshconfig.SshConfigFile#resolve}): {@code Host} patterns with {@code *}, {@code ?} and
 * {@code !}, the first value of each keyword winning. Internal.
 */
package dev.fanout.internal.sshconfig;
