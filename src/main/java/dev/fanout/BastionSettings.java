package dev.fanout;

/**
 * How fanout uses each bastion (jump host) its hosts are reached through
 * ({@link Fanout.Builder#bastions(BastionSettings)}). A host
 * behind a bastion is a {@code direct-tcpip} channel of one of the bastion's sessions: one login to the bastion
 * carries many hosts. OpenSSH's {@code MaxSessions} (10 by default) limits shell and subsystem sessions per
 * connection; {@code direct-tcpip} channels do not count against it, but each one is a socket of the one sshd
 * process serving that connection, which the process's file limit (often 1,024) bounds.
 *
 * @param maxSessions sessions (logins) kept open to one bastion at most, default 4; another is opened only when
 *     every open one carries {@code maxChannelsPerSession} hosts
 * @param maxChannelsPerSession hosts one bastion session carries at once at most, default 256
 * @param maxHandshakes hosts setting up their connection (channel open, key exchange, login) through one bastion
 *     at once at most, default 256 (a run's default handshake limit, per bastion); a host waits for its turn without
 *     its connect time-out running
 */
public record BastionSettings(int maxSessions, int maxChannelsPerSession, int maxHandshakes) {

    /**
     * The defaults: 4 sessions per bastion, 256 hosts per session, 256 handshakes per bastion at once (the handshake
     * limit of a run, {@link RunOptions#DEFAULT_MAX_HANDSHAKES}, applied per bastion).
     */
    public static final BastionSettings DEFAULTS = new BastionSettings(4, 256, RunOptions.DEFAULT_MAX_HANDSHAKES);

    /** Validates every field. */
    public BastionSettings {
        if (maxSessions < 1 || maxChannelsPerSession < 1 || maxHandshakes < 1) {
            throw new IllegalArgumentException("bastion settings must be at least 1: sessions " + maxSessions
                    + ", channels per session " + maxChannelsPerSession + ", handshakes " + maxHandshakes);
        }
    }
}
