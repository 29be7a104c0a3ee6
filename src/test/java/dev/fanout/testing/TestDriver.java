package dev.fanout.testing;

/** fanout's two drivers, as the tests run each of them: {@link #id()} is the name a user gives to pick one. */
public enum TestDriver {
    /** The JSch driver. */
    JSCH("jsch"),
    /** The Apache MINA SSHD driver. */
    MINA("mina");

    private final String id;

    TestDriver(String id) {
        this.id = id;
    }

    /** The driver's name for {@code Fanout.Builder.driver} and {@code --driver}. */
    public String id() {
        return id;
    }

    /** The driver's name, so that test names read {@code jsch -> openssh}. */
    @Override
    public String toString() {
        return id;
    }
}
