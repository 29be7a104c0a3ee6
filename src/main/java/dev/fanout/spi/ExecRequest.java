package dev.fanout.spi;

import dev.fanout.Command;
import dev.fanout.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One command for {@link SshSession#exec}: the command with its options, and what the run decides for it.
 *
 * <p>What a driver does with the command's options: its {@link Command#environment() environment} is sent as
 * {@code env} requests with {@link Command.EnvDelivery#REQUEST}, else exported at the start of the command line
 * (values shell-quoted); a {@link Command#pty() pty} is requested with echo and output CR-LF translation off (and
 * the channel's input is left open, as a terminal has no end of input); {@link Command#stdin() stdin} is streamed to
 * the command as the server's window allows, then end of input, and without stdin end of input is sent at once;
 * {@link Command#sudo() sudo} wraps the command line in {@code sudo -S -p PROMPT -u USER -- /bin/sh -c ...}, answers
 * sudo's prompt with {@link #sudoPassword()}, strips everything sudo printed before the command started, and runs it
 * on a pty unless it has stdin. {@link Command#timeout()} is not used: {@link #timeout()} is the limit.
 *
 * @param command the command (its text with the host's variables substituted) and its options
 * @param timeout how long it may run, from opening its channel
 * @param outputLimit how many bytes to keep of each of stdout and stderr; the rest is drained and counted
 * @param outputBudget the run's budget the bytes kept are taken from
 * @param sudoPassword the password to answer sudo's prompt with (the host's login password), if any
 * @param liveOutput where to hand the output as it arrives, besides keeping it; {@link LiveOutput#none()} for nowhere
 */
public record ExecRequest(Command command, Duration timeout, int outputLimit, OutputBudget outputBudget,
        Optional<Secret> sudoPassword, LiveOutput liveOutput) {

    /** Rejects bad values. */
    public ExecRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputLimit < 0) {
            throw new IllegalArgumentException("outputLimit must not be negative: " + outputLimit);
        }
        Objects.requireNonNull(outputBudget, "outputBudget");
        Objects.requireNonNull(sudoPassword, "sudoPassword");
        Objects.requireNonNull(liveOutput, "liveOutput");
    }

    /** A command whose output only its result needs. */
    public ExecRequest(Command command, Duration timeout, int outputLimit, OutputBudget outputBudget,
            Optional<Secret> sudoPassword) {
        this(command, timeout, outputLimit, outputBudget, sudoPassword, LiveOutput.none());
    }

    /** A plain command line within a run's budget: no options, no sudo password. */
    public ExecRequest(String command, Duration timeout, int outputLimit, OutputBudget outputBudget) {
        this(Command.of(command), timeout, outputLimit, outputBudget, Optional.empty());
    }

    /** A plain command line outside a run: no budget but the limit per stream. */
    public ExecRequest(String command, Duration timeout, int outputLimit) {
        this(command, timeout, outputLimit, OutputBudget.unlimited());
    }
}
