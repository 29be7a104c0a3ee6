package dev.fanout.testing;

/** The servers of the contract tests: each is started once per test JVM, at its first use. */
public enum ContractServer {
    /** The in-process Apache MINA SSHD server ({@link MinaTestServer}). */
    MINA_SERVER("mina-server"),
    /** A real OpenSSH sshd on loopback ({@link OpenSshServer}). */
    OPENSSH("openssh"),
    /** A real OpenSSH sshd on loopback without an SFTP subsystem ({@link OpenSshServer#startWithoutSftp}). */
    OPENSSH_NO_SFTP("openssh-no-sftp");

    private final String id;

    ContractServer(String id) {
        this.id = id;
    }

    /** The running server; aborts the calling test (skips it) where the real sshd cannot run, except in CI. */
    public TestServer server() {
        return ContractServers.server(this);
    }

    /** The server's short name ({@link TestServer#name()}), so that test names read {@code jsch -> openssh}. */
    @Override
    public String toString() {
        return id;
    }
}
