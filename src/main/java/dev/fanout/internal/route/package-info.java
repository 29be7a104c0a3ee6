/**
 * How each host is reached: the connect request a host's connections start from (where to connect, as whom, with
 * which credentials, host-key check and time limits). Without an OpenSSH client config that is the host itself
 * ({@link dev.fanout.internal.route.DirectRoutes}); with one, what the config makes of each host, worked out once
 * per distinct host ({@link dev.fanout.internal.route.ConfiguredRoutes}). Internal.
 */
package dev.fanout.internal.route;
