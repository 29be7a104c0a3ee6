package dev.fanout.error;

/**
 * {@code sudo} did not run a command ({@code Command.withSudo}): it refused the password, asked for one when the host's
 * credentials hold none, or ended without starting the command (not allowed to, or it wants a terminal). Nothing of
 * the command ran. Not retryable. The message never holds the password.
 */
public final class SudoFailedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param detail what sudo did, e.g. {@code sudo refused the password of fanout-sudo}
     */
    public SudoFailedException(String host, String driver, String detail) {
        super(host, Phase.EXEC, driver, false, detail, null);
    }

    @Override
    public String kind() {
        return "sudo_failed";
    }
}
