/**
 * Bastions (jump hosts): hosts reached through a {@code direct-tcpip} channel of a bastion's session, one login to a
 * bastion carrying many hosts ({@link dev.fanout.internal.bastion.Bastion}), chains of bastions, and the driver
 * wrapper that sends each host's connect the right way ({@link dev.fanout.internal.bastion.JumpingDriver}).
 * Internal.
 */
package dev.fanout.internal.bastion;
