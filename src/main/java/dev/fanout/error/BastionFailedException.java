package dev.fanout.error;

import java.util.Objects;
import java.util.Optional;

/**
 * The bastion (jump host) a host is reached through failed: connecting or logging in to the bastion (its own
 * failure, with its own host and phase, is the {@link #bastionFailure() cause}), or the bastion refusing to open a
 * channel to the host ({@code AllowTcpForwarding no}). Nothing was sent to the host itself. Every host behind a
 * failed bastion gets this failure, naming the bastion; the bastion is tried once for all the hosts waiting for it.
 * Retryable when the bastion's own failure is.
 */
public final class BastionFailedException extends FanoutException {

    private final String bastion;
    private final FanoutException bastionFailure;

    /**
     * The bastion's own connect or login failed.
     *
     * @param host the label of the host behind the bastion
     * @param driver the driver's name
     * @param bastionFailure the bastion's failure (its host is the bastion's label)
     */
    public BastionFailedException(String host, String driver, FanoutException bastionFailure) {
        super(host, Phase.BASTION, driver, bastionFailure.retryable(), "bastion " + bastionFailure.host()
                + " failed: " + bastionFailure.getMessage(), bastionFailure);
        this.bastion = bastionFailure.host();
        this.bastionFailure = bastionFailure;
    }

    /**
     * The bastion refused to open a channel to the host (administratively prohibited, for one).
     *
     * @param host the label of the host behind the bastion
     * @param driver the driver's name
     * @param bastion the bastion's label
     * @param detail what the bastion said
     * @param cause the driver's exception, or {@code null}
     */
    public BastionFailedException(String host, String driver, String bastion, String detail, Throwable cause) {
        super(host, Phase.BASTION, driver, false, "bastion " + bastion + " refused a channel to the host: " + detail,
                cause);
        this.bastion = Objects.requireNonNull(bastion, "bastion");
        this.bastionFailure = null;
    }

    /** The bastion's label, {@code user@address:port}. */
    public String bastion() {
        return bastion;
    }

    /** The bastion's own failure, when connecting or logging in to it failed. */
    public Optional<FanoutException> bastionFailure() {
        return Optional.ofNullable(bastionFailure);
    }

    @Override
    public String kind() {
        return "bastion_failed";
    }
}
