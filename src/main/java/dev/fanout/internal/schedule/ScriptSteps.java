package dev.fanout.internal.schedule;

import dev.fanout.ExecResult;
import dev.fanout.Step;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.internal.ShellQuote;
import dev.fanout.internal.transfer.FileTransfers;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.SshSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a script step of a host's task on its session, blocking the calling thread: uploads the script to a private
 * file of its own (created exclusively, mode 0700, under a random name in the login directory), runs the step's
 * command with {@code {{script}}} as that file's path, and removes the file whatever the command did.
 */
final class ScriptSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptSteps.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(10);

    private ScriptSteps() {
    }

    /** Runs the step and records its result; returns whether the host goes on to its next step. */
    static boolean run(Step.Script script, HostAttempt attempt, SshSession session) {
        String path = ".fanout-script-" + HexFormat.of().formatHex(RANDOM.generateSeed(8)) + "-"
                + script.source().name().replaceAll("[^A-Za-z0-9._-]", "_");
        Step.Upload upload = new Step.Upload(script.source(), path, 0700, false, script.command().timeout());
        FileTransfers.upload(upload, attempt.transferContext(script, upload.timeout(), script.source().size(),
                session));
        Step.Exec step = new Step.Exec(script.command());
        try {
            ExecResult result = session.exec(attempt.execRequest(step, Map.of("script", "./" + path)));
            return attempt.stepDone(step, result);
        } catch (CommandTimeoutException timeout) {
            attempt.stepTimedOut(step, timeout);
            throw timeout;
        } finally {
            remove(session, path);
        }
    }

    private static void remove(SshSession session, String path) {
        if (!session.isOpen()) {
            LOG.warn("{}: the script {} is left on the host: the session was lost before it could be removed",
                    session.host(), path);
            return;
        }
        try {
            ExecResult removed = session.exec(new ExecRequest("rm -f " + ShellQuote.quote(path), REMOVE_TIMEOUT, 1024));
            if (!removed.isSuccess()) {
                LOG.warn("{}: cannot remove the script {}: {}", session.host(), path, removed.stderr().text().strip());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot remove the script {}: {}", session.host(), path, e.getMessage());
        }
    }

}
