package dev.fanout.cli;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.RetryPolicy;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.internal.Durations;
import dev.fanout.internal.inventory.CredentialSpec;
import dev.fanout.internal.inventory.Inventory;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code fanout run}, {@code copy} and {@code fetch} share: hosts (inventories, -H patterns), credentials,
 * host-key policy, driver, mode and limits, timeouts, output (text, JSON, JSON lines, groups), resume and
 * failed-hosts files, Ctrl-C handling and exit codes. A subclass says what task every host runs.
 */
abstract class HostJobCommand implements Callable<Integer> {

    static final int SOME_HOSTS_FAILED = 1;
    static final int INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    /** What every host runs; throws {@link IllegalArgumentException} for bad arguments. */
    abstract Task task();

    /** The sub-command's name, for messages: {@code run}, {@code copy}, {@code fetch}. */
    private String name() {
        return spec.name();
    }

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Inventory: a plain list ([user@]host[:port] a line) or YAML (.yaml/.yml). Repeatable.")
    private List<Path> inventories = new ArrayList<>();

    @Option(names = {"-H", "--hosts"}, paramLabel = "HOSTS",
            description = "Hosts, comma separated, patterns allowed: web[01-50].dc1, 10.0.[0-3].[1-254]. Repeatable.")
    private List<String> hostLists = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Login user of hosts that name none "
            + "(default: the current user).")
    private String user = System.getProperty("user.name");

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of hosts that name none (default 22).")
    private int port = Host.DEFAULT_PORT;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Read the password from this variable.")
    private String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from this file's first line (refused unless a regular file of "
                    + "yours, not a link, that group and others may not use: chmod 600).")
    private Path passwordFile;

    @Option(names = "--ask-pass", description = "Ask for the password, without echo.")
    private boolean askPass;

    @Option(names = "--identity", paramLabel = "FILE", description = "A private key (Ed25519, ECDSA, RSA). Repeatable.")
    private List<Path> identities = new ArrayList<>();

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "The keys' passphrase, from this variable.")
    private String passphraseEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file (default ~/.ssh/known_hosts).")
    private Path knownHosts = HostKeyPolicy.defaultKnownHosts();

    @Option(names = "--host-key-policy", paramLabel = "POLICY", defaultValue = "strict",
            description = "strict (default), accept-new (trust on first use) or accept-all (no check: unsafe).")
    private String hostKeyPolicy;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "mina", description = "mina (default) or jsch.")
    String driver;

    /** No {@code defaultValue}: picocli applies those after parsing, over what {@code run}'s --mode alias set. */
    @Option(names = "--run-mode", paramLabel = "MODE",
            description = "serial, platform, virtual (default) or async (mina only).")
    String mode = "virtual";

    @Option(names = "--threads", paramLabel = "N", defaultValue = "50", description = "Threads of platform mode.")
    private int threads;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "0", description = "Hosts at once (0: all).")
    private int maxInFlight;

    @Option(names = "--max-handshakes", paramLabel = "N", defaultValue = "256",
            description = "Connections being set up at once (default 256; 0: no limit).")
    private int maxHandshakes;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "0",
            description = "Hosts per batch (0: one batch).")
    private int batchSize;

    @Option(names = "--batch-interval", paramLabel = "DUR", defaultValue = "0ms", description = "Wait between batches.")
    private String batchInterval;

    @Option(names = "--batches-serial", description = "Start a batch only when the previous one has finished.")
    private boolean batchesSerial;

    @Option(names = "--connect-timeout", paramLabel = "DUR", defaultValue = "10s", description = "Connect limit.")
    private String connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "DUR", defaultValue = "10m", description = "Limit per command.")
    private String commandTimeout;

    @Option(names = "--deadline", paramLabel = "DUR", description = "Limit for the whole run.")
    private String deadline;

    @Option(names = "--output-budget", paramLabel = "SIZE", description = "Output the whole run keeps, all hosts "
            + "together (default a quarter of the heap); past it, output is counted, not kept: 512m, 2g.")
    private String outputBudget;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Retries of transient connect failures (refused, reset, MaxStartups drops).")
    private int retries;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    private String format;

    @Option(names = "--group", description = "Print each distinct output once, with its hosts folded: web[01-07,09].")
    private boolean group;

    @Option(names = "--out", paramLabel = "FILE", description = "Append one JSON line per host as it completes.")
    private Path outFile;

    @Option(names = "--resume", paramLabel = "FILE", description = "Skip hosts already ok in this --out file.")
    private Path resumeFile;

    @Option(names = "--failed-hosts", paramLabel = "FILE", description = "Write the hosts that did not end ok, as an "
            + "inventory for a rerun: YAML, with their inventory credentials, if FILE ends in .yaml/.yml.")
    private Path failedHostsFile;

    @Option(names = "--no-progress", description = "No live progress line.")
    private boolean noProgress;

    @SuppressWarnings("UnusedVariable") // for parsing and --help: FanoutCommand.main reads -v before logging starts
    @Option(names = {"-v", "--verbose"}, description = "Log per-host detail (connects, retries) on stderr.")
    private boolean verbose;

    @Option(names = "--max-pattern-hosts", paramLabel = "N", defaultValue = "100000",
            description = "The most hosts one pattern may expand to (default 100000).")
    private int maxPatternHosts;

    @Override
    @SuppressWarnings("try") // the printer is closed (flushed) early on purpose, before the signal hook may halt
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Setup setup;
        try {
            setup = prepare();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("fanout " + name() + ": " + TerminalText.line(e.getMessage()));
            return FanoutCommand.USAGE_ERROR;
        }
        ResultsFile results;
        try {
            results = outFile == null ? null : ResultsFile.open(outFile, Thread.currentThread());
        } catch (IllegalArgumentException e) {
            setup.fanout().close();
            err.println("fanout " + name() + ": " + TerminalText.line(e.getMessage()));
            return FanoutCommand.USAGE_ERROR;
        }
        try (Fanout fanout = setup.fanout();
                results;
                ResultPrinter printer = new ResultPrinter(spec.commandLine().getOut(), err, format, group,
                        !noProgress && interactive(), results)) {
            Thread runner = Thread.currentThread();
            CountDownLatch reported = new CountDownLatch(1);
            // Ctrl-C or SIGTERM while the run is on: cancel it, let it print and write what it has, exit 130.
            // The hook is removed before any normal return.
            Thread onSignal = new Thread(() -> {
                runner.interrupt();
                try {
                    reported.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(INTERRUPTED);
            }, "fanout-interrupt");
            Runtime.getRuntime().addShutdownHook(onSignal);
            RunReport report;
            boolean interrupted;
            Optional<String> resultsFailure = Optional.empty();
            try {
                report = fanout.run(setup.hosts(), setup.task(), setup.options(), printer);
                if (results != null) {
                    results.runEnded(); // no interrupt from a failed write after this
                }
                interrupted = Thread.interrupted(); // cleared, so that the files below can be written
                printer.finish(report, setup.skippedByResume());
                writeFailedHosts(setup.failedHosts(), report);
                printer.close(); // flushed before the hook may halt the JVM
                if (results != null) {
                    results.close();
                    resultsFailure = results.failure();
                    resultsFailure.ifPresent(message -> err.println("fanout " + name() + ": " + message));
                }
            } finally {
                reported.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                return INTERRUPTED;
            }
            if (resultsFailure.isPresent()) {
                return FanoutCommand.USAGE_ERROR;
            }
            if (interrupted) {
                return INTERRUPTED;
            }
            return report.allOk() ? 0 : SOME_HOSTS_FAILED;
        }
    }

    /** Everything checked and built before any host is contacted; {@code failedHosts} is null without the option. */
    private record Setup(Fanout fanout, List<Host> hosts, Task task, RunOptions options, int skippedByResume,
            FailedHostsFile failedHosts) {
    }

    private Setup prepare() {
        Map<Host, Credentials> perHost = new HashMap<>();
        Map<Host, FailedHostsFile.Source> sources = new HashMap<>();
        List<Host> hosts = readHosts(perHost, sources);
        FailedHostsFile failedHosts = failedHostsFile == null ? null : new FailedHostsFile(failedHostsFile, sources);
        Task task = task();
        task.requireDistinctDownloads(hosts);
        RunOptions options = options();
        int skipped = 0;
        if (resumeFile != null) {
            ResumeFile resume = ResumeFile.read(resumeFile);
            resume.warning().ifPresent(warning -> spec.commandLine().getErr().println("fanout " + name()
                    + ": warning: " + warning));
            Set<Host> done = resume.okHosts();
            List<Host> remaining = hosts.stream().filter(host -> !done.contains(host)).toList();
            skipped = hosts.size() - remaining.size();
            hosts = remaining;
        }
        Timeouts timeouts = Timeouts.DEFAULTS.withConnect(Durations.parse(connectTimeout))
                .withCommand(Durations.parse(commandTimeout));
        Credentials defaults = credentials();
        if (defaults == null) {
            List<Host> uncovered = hosts.stream().filter(host -> !perHost.containsKey(host)).toList();
            if (!uncovered.isEmpty() || perHost.isEmpty()) {
                throw new IllegalArgumentException("no credentials" + (uncovered.isEmpty() ? "" : " for "
                        + uncovered.get(0) + (uncovered.size() > 1 ? " and " + (uncovered.size() - 1) + " more" : ""))
                        + ": give --password-env VAR, --password-file FILE, --ask-pass or --identity FILE");
            }
            defaults = perHost.values().iterator().next();
        }
        Fanout fanout = Fanout.builder().driver(driver).credentials(defaults).hostCredentials(perHost)
                .hostKeyPolicy(policy()).timeouts(timeouts).build();
        return new Setup(fanout, hosts, task, options, skipped, failedHosts);
    }

    /** The hosts of every -i and -H; fills in the credentials inventories give hosts, and where they come from. */
    private List<Host> readHosts(Map<Host, Credentials> perHost, Map<Host, FailedHostsFile.Source> sources) {
        if (inventories.isEmpty() && hostLists.isEmpty()) {
            throw new IllegalArgumentException("no hosts: give -i FILE or -H HOSTS");
        }
        Inventory inventory = new Inventory(user, port, maxPatternHosts);
        List<Host> hosts = new ArrayList<>();
        for (Path file : inventories) {
            Inventory.Contents contents = inventory.read(file);
            hosts.addAll(contents.hosts());
            Map<String, Credentials> named = new HashMap<>();
            contents.credentialNames().forEach((host, name) -> {
                perHost.put(host, named.computeIfAbsent(name,
                        key -> fromInventory(contents.credentials().get(key), file + ": credentials." + key)));
                sources.put(host, new FailedHostsFile.Source(name, contents.credentials().get(name)));
            });
        }
        for (String list : hostLists) {
            hosts.addAll(inventory.parseEntries(list, "-H '" + list + "'"));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts in the -H lists given");
        }
        List<Host> distinct = Inventory.distinct(hosts);
        if (distinct.size() < hosts.size()) {
            spec.commandLine().getErr().println("fanout " + name() + ": warning: " + (hosts.size() - distinct.size())
                    + " duplicate hosts removed");
        }
        return distinct;
    }

    private RunOptions options() {
        RunMode runMode;
        try {
            runMode = RunMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the run mode must be serial, platform, virtual or async: '" + mode
                    + "'", e);
        }
        if (runMode == RunMode.ASYNC && !driver.equals("mina")) {
            throw new IllegalArgumentException("mode async needs --driver mina (driver '" + driver
                    + "' has no asynchronous API)");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be text or json: '" + format + "'");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must not be negative: " + retries);
        }
        RunOptions.Builder builder = RunOptions.builder().mode(runMode).threads(threads).maxInFlight(maxInFlight)
                .maxHandshakes(maxHandshakes).batchSize(batchSize).batchInterval(Durations.parse(batchInterval))
                .batchesConcurrent(!batchesSerial)
                .retry(retries == 0 ? RetryPolicy.none() : RetryPolicy.retries(retries));
        if (deadline != null) {
            builder.runDeadline(Durations.parse(deadline));
        }
        if (outputBudget != null) {
            builder.outputBudget(ByteSizes.parse(outputBudget));
        }
        return builder.build();
    }

    private HostKeyPolicy policy() {
        return switch (hostKeyPolicy) {
            case "strict" -> HostKeyPolicy.strict(knownHosts);
            case "accept-new" -> HostKeyPolicy.acceptNew(knownHosts);
            case "accept-all" -> HostKeyPolicy.acceptAll();
            default -> throw new IllegalArgumentException("--host-key-policy must be strict, accept-new or "
                    + "accept-all: '" + hostKeyPolicy + "'");
        };
    }

    /** The credentials the flags give, or null when they give none. */
    private Credentials credentials() {
        Secret passphrase = passphraseEnv == null ? null : Secret.fromEnv(passphraseEnv);
        return combine(identities, passphrase, password());
    }

    /** A named credential set of an inventory, read the same way as the flags. */
    private static Credentials fromInventory(CredentialSpec spec, String where) {
        try {
            Secret passphrase = spec.passphraseEnv().map(Secret::fromEnv).orElse(null);
            Secret password = spec.passwordEnv().map(Secret::fromEnv)
                    .orElseGet(() -> spec.passwordFile().map(PasswordFile::read).orElse(null));
            List<Path> keys = spec.identities().stream().map(HostJobCommand::expandHome).toList();
            return combine(keys, passphrase, password);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Keys first, then the password (password and keyboard-interactive); null when there is neither. */
    private static Credentials combine(List<Path> keys, Secret passphrase, Secret password) {
        List<AuthMethod> methods = new ArrayList<>();
        for (Path key : keys) {
            methods.add(AuthMethod.privateKey(key, passphrase));
        }
        if (password != null) {
            methods.addAll(Credentials.password(password).methods());
        }
        return methods.isEmpty() ? null : new Credentials(methods);
    }

    private static Path expandHome(Path path) {
        String text = path.toString();
        return text.equals("~") || text.startsWith("~/")
                ? Path.of(System.getProperty("user.home") + text.substring(1)) : path;
    }

    private Secret password() {
        int sources = (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (askPass ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("give only one of --password-env, --password-file, --ask-pass");
        }
        if (passwordEnv != null) {
            return Secret.fromEnv(passwordEnv);
        }
        if (passwordFile != null) {
            return PasswordFile.read(passwordFile);
        }
        if (askPass) {
            if (!interactive()) {
                throw new IllegalArgumentException(
                        "--ask-pass needs a terminal; use --password-env or --password-file");
            }
            char[] typed = System.console().readPassword("Password: ");
            if (typed == null || typed.length == 0) {
                throw new IllegalArgumentException("no password given");
            }
            return Secret.of(typed);
        }
        return null;
    }

    private void writeFailedHosts(FailedHostsFile file, RunReport report) {
        if (file == null) {
            return;
        }
        try {
            file.write(report.failed().stream().map(HostResult::host).toList());
        } catch (IOException e) {
            spec.commandLine().getErr()
                    .println("fanout " + name() + ": cannot write " + failedHostsFile + ": " + e.getMessage());
        }
    }

    /**
     * Whether fanout runs in a terminal, where a live progress line makes sense and {@code --ask-pass} can ask. No
     * console means no terminal (JDK 21, 25+); on JDK 22 to 24 {@code System.console()} returns one for redirected
     * streams too, so {@code Console.isTerminal} (Java 22+, hence reflection) decides where it exists.
     */
    @SuppressWarnings("SystemConsoleNull") // the null check is right on JDK 21 and 25+; isTerminal covers 22 to 24
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
