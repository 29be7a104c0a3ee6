package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.HandshakeFailedException;
import dev.fanout.error.HostUnresolvedException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.internal.OpenFiles;
import dev.fanout.internal.driver.Causes;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The one place where JSch's connect failures become fanout exceptions. */
final class JschErrors {

    /** SFTP status codes of protocol versions 5 and 6, which JSch does not name. */
    private static final int SSH_FX_NO_SPACE_ON_FILESYSTEM = 14;
    private static final int SSH_FX_QUOTA_EXCEEDED = 15;

    private JschErrors() {
    }

    static FanoutException connectFailure(JschAttempt attempt, Exception error) {
        String host = attempt.request().host().toString();
        String driver = JschDriver.NAME;
        Phase phase = attempt.phase();
        if (attempt.tunnelFailure() != null) {
            return attempt.tunnelFailure();
        }
        if (attempt.verdict() != null && !attempt.verdict().trusted()) {
            return attempt.verdict().toException(host, driver, error);
        }
        if (attempt.timedOut() || attempt.agents().timedOut() || Causes.has(error, SocketTimeoutException.class)) {
            return timeout(attempt, error);
        }
        if (Causes.has(error, UnknownHostException.class)) {
            return new HostUnresolvedException(host, driver, error);
        }
        if (Causes.has(error, ConnectException.class)) {
            return new ConnectionRefusedException(host, driver, error);
        }
        Optional<String> outOfFiles = OpenFiles.exhausted(error);
        if (outOfFiles.isPresent()) {
            return new HandshakeFailedException(host, driver, true, outOfFiles.get(), error);
        }
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        String type = error.getClass().getSimpleName();
        if (type.equals("JSchAuthCancelException") || type.equals("JSchPartialAuthException")
                || message.startsWith("auth fail") || message.startsWith("auth cancel")
                || message.contains("userauth fail")) {
            return new AuthenticationFailedException(host, driver,
                    attempt.agents().methodsTried(attempt.request().credentials()), error);
        }
        if (phase == Phase.AUTH) {
            return new SessionLostException(host, driver, Phase.AUTH, String.valueOf(error.getMessage()), error);
        }
        boolean negotiation = message.contains("algorithm negotiation fail")
                || message.contains("invalid server's version");
        return new HandshakeFailedException(host, driver, !negotiation, String.valueOf(error.getMessage()), error);
    }

    /**
     * An SFTP failure: the status code of JSch's {@code SftpException} (found in the cause chain of a stream's
     * {@code IOException}) tells the reason; a message about space or quota means a full disk.
     */
    static TransferFailedException transferFailure(String host, String path, String operation, Exception error) {
        SftpException status = Causes.find(error, SftpException.class);
        int code = status == null ? -1 : status.id;
        String message = String.valueOf(status == null ? error.getMessage() : status.getMessage());
        Reason reason = switch (code) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> Reason.NO_SUCH_FILE;
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> Reason.PERMISSION_DENIED;
            case SSH_FX_NO_SPACE_ON_FILESYSTEM, SSH_FX_QUOTA_EXCEEDED -> Reason.NO_SPACE;
            default -> Causes.mentionsNoSpace(message) ? Reason.NO_SPACE : Reason.FAILED;
        };
        return new TransferFailedException(host, JschDriver.NAME, reason, path, operation + ": " + message, error);
    }

    private static FanoutException timeout(JschAttempt attempt, Exception error) {
        Phase phase = attempt.phase();
        Duration limit = phase == Phase.AUTH ? attempt.request().timeouts().auth()
                : attempt.request().timeouts().connect();
        return new ConnectTimeoutException(attempt.request().host().toString(), JschDriver.NAME, phase, limit, error);
    }
}
