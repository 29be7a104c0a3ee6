/**
 * The simulated fleet: thousands of SSH hosts on loopback addresses in one process (Apache MINA SSHD), with
 * latency, faults, an in-memory file system and SFTP, for trying fanout, testing code that uses it, and
 * benchmarks. Start one with {@link dev.fanout.fleet.SimulatedFleet#start(dev.fanout.fleet.FleetConfig)}.
 */
package dev.fanout.fleet;
