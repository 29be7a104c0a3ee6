package dev.fanout.internal.driver.mina;

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
import dev.fanout.internal.driver.TunnelFailures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** The one place where MINA's connect failures become fanout exceptions. */
final class MinaErrors {

    private MinaErrors() {
    }

    static FanoutException unresolved(MinaAttempt attempt, Throwable cause) {
        return new HostUnresolvedException(host(attempt), MinaDriver.NAME, cause);
    }

    /** The TCP connect failed, or the channel through a bastion did not open. */
    static FanoutException connectFailure(MinaAttempt attempt, Throwable error) {
        MinaSession through = attempt.through();
        if (through != null) {
            SshChannelOpenException refused = Causes.find(error, SshChannelOpenException.class);
            if (refused != null) {
                return TunnelFailures.refused(attempt.request(), through, MinaDriver.NAME, refused.getReasonCode(),
                        refused.getMessage(), error);
            }
            if (!through.isOpen()) {
                return TunnelFailures.bastionLost(attempt.request(), through, MinaDriver.NAME, error);
            }
        }
        if (Causes.has(error, UnknownHostException.class) || Causes.has(error, UnresolvedAddressException.class)) {
            return unresolved(attempt, error);
        }
        if (Causes.has(error, ConnectException.class)) {
            return new ConnectionRefusedException(host(attempt), MinaDriver.NAME, error);
        }
        Optional<String> outOfFiles = OpenFiles.exhausted(error);
        if (outOfFiles.isPresent()) {
            return new HandshakeFailedException(host(attempt), MinaDriver.NAME, true, outOfFiles.get(), error);
        }
        return handshakeFailure(attempt, error);
    }

    /** The connect, the handshake or authentication ran out of time, in the attempt's current phase. */
    static FanoutException timeout(MinaAttempt attempt) {
        Phase phase = attempt.phase();
        Duration limit = phase == Phase.AUTH ? attempt.request().timeouts().auth()
                : attempt.request().timeouts().connect();
        return new ConnectTimeoutException(host(attempt), MinaDriver.NAME, phase, limit, attempt.failure());
    }

    /** The session closed before keys were established. */
    static FanoutException handshakeFailure(MinaAttempt attempt, Throwable error) {
        Throwable cause = error != null ? error : attempt.failure();
        if (attempt.verdict() != null && !attempt.verdict().trusted()) {
            return attempt.verdict().toException(host(attempt), MinaDriver.NAME, cause);
        }
        String reason = cause != null ? String.valueOf(cause.getMessage()) : "connection closed by the server";
        String lower = reason.toLowerCase(Locale.ROOT);
        boolean negotiation = lower.contains("unable to negotiate") || lower.contains("no matching")
                || lower.contains("negotiation");
        return new HandshakeFailedException(host(attempt), MinaDriver.NAME, !negotiation, reason, cause);
    }

    /**
     * Authentication ended without success: refused, or lost with an agent that failed (the agent is the cause);
     * a session lost otherwise is that.
     */
    static FanoutException authFailure(MinaAttempt attempt, Throwable error, boolean sessionOpen) {
        if (!sessionOpen && attempt.failure() != null && !attempt.agents().failed()) {
            return new SessionLostException(host(attempt), MinaDriver.NAME, Phase.AUTH,
                    String.valueOf(attempt.failure().getMessage()), attempt.failure());
        }
        return new AuthenticationFailedException(host(attempt), MinaDriver.NAME,
                attempt.agents().methodsTried(attempt.request().credentials()), error);
    }

    /**
     * An SFTP failure: the status of sshd-sftp's {@code SftpException} tells the reason; a message about space or
     * quota means a full disk; anything else (the channel closed, a time-out) is a plain failure.
     */
    static TransferFailedException transferFailure(String host, String path, String operation, IOException error) {
        SftpException status = Causes.find(error, SftpException.class);
        int code = status == null ? -1 : status.getStatus();
        String message = String.valueOf(status == null ? error.getMessage() : status.getMessage());
        Reason reason = switch (code) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> Reason.NO_SUCH_FILE;
            case SftpConstants.SSH_FX_PERMISSION_DENIED -> Reason.PERMISSION_DENIED;
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED -> Reason.NO_SPACE;
            default -> Causes.mentionsNoSpace(message) ? Reason.NO_SPACE : Reason.FAILED;
        };
        return new TransferFailedException(host, MinaDriver.NAME, reason, path, operation + ": " + message, error);
    }

    private static String host(MinaAttempt attempt) {
        return attempt.request().host().toString();
    }
}
