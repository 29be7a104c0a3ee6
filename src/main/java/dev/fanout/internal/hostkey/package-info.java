/**
 * fanout's own known_hosts handling (hashed names, wildcards, negation, markers, {@code [host]:port}), the
 * verifiers for each host-key policy, and key encodings. Internal.
 */
package dev.fanout.internal.hostkey;
