package dev.fanout.internal.driver;

import dev.fanout.error.BastionFailedException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshSession;

/**
 * For drivers connecting through a bastion: what a {@code direct-tcpip} channel the bastion would not open becomes,
 * the same for both drivers. The reason codes are those of RFC 4254, section 5.1.
 */
public final class TunnelFailures {

    /** {@code SSH_OPEN_CONNECT_FAILED}: the bastion could not connect to the endpoint. */
    public static final int CONNECT_FAILED = 2;
    private static final int ADMINISTRATIVELY_PROHIBITED = 1;
    private static final int UNKNOWN_CHANNEL_TYPE = 3;
    private static final int RESOURCE_SHORTAGE = 4;

    private TunnelFailures() {
    }

    /**
     * The bastion answered the channel open with a failure: it could not connect to the endpoint (the host's own
     * failure, {@link ConnectionRefusedException}, with what the bastion said), or it refused the channel (the
     * bastion's failure, {@link BastionFailedException}: forwarding off, say).
     *
     * @param reasonCode the failure's reason code
     * @param description what the bastion said, or null
     */
    public static FanoutException refused(ConnectRequest request, SshSession through, String driver, int reasonCode,
            String description, Throwable cause) {
        String host = request.host().toString();
        String said = description == null || description.isBlank() ? "" : ": " + description;
        if (reasonCode == CONNECT_FAILED) {
            return new ConnectionRefusedException(host, driver, "bastion " + through.host() + " could not connect to "
                    + endpoint(request) + said, cause);
        }
        String reason = switch (reasonCode) {
            case ADMINISTRATIVELY_PROHIBITED -> "administratively prohibited (is AllowTcpForwarding off?)";
            case UNKNOWN_CHANNEL_TYPE -> "unknown channel type";
            case RESOURCE_SHORTAGE -> "resource shortage";
            default -> "reason " + reasonCode;
        };
        return new BastionFailedException(host, driver, through.host().toString(), reason + said, cause);
    }

    /** The bastion did not answer the channel open within the connect limit. */
    public static FanoutException noAnswer(ConnectRequest request, SshSession through, String driver,
            Throwable cause) {
        return new ConnectTimeoutException(request.host().toString(), driver, Phase.CONNECT,
                request.timeouts().connect(), cause);
    }

    /** The bastion's session was gone when the channel was to be opened. */
    public static FanoutException bastionLost(ConnectRequest request, SshSession through, String driver,
            Throwable cause) {
        return new SessionLostException(request.host().toString(), driver, Phase.BASTION, "the session to bastion "
                + through.host() + " is gone", cause);
    }

    private static String endpoint(ConnectRequest request) {
        String address = request.endpoint().address();
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + request.endpoint().port();
    }
}
