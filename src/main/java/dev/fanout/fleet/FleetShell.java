package dev.fanout.fleet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small bash look-alike that runs commands against one simulated host's in-memory state, in no time: it
 * returns what the command prints, its exit code, how long it would have slept, and the background jobs it
 * started. Enough of a shell for the reference workload's commands and their usual companions: {@code ;}, {@code &},
 * {@code &&}, {@code ||}, quotes, redirections ({@code > >> &> 2> 2>&1 <}), and the builtins
 * {@code echo printf cat ls test [ chmod mkdir rm touch uname hostname whoami id nohup bash sh sleep true false
 * exit cd pwd :}. Anything else exits 127 with {@code sh: CMD: command not found}; pipes exit 2 with a message.
 *
 * <p>A background job's effects are computed when it starts but applied when its simulated time has passed
 * (for {@code nohup bash job.sh &> out &} with {@code sleep 5} in {@code job.sh}: {@code out} appears 5 s later).
 */
final class FleetShell {

    /** What running a command line produced. Jobs are to be applied {@code Job.delayNanos} from now. */
    @SuppressWarnings("ArrayRecordComponent") // bytes handed once from the shell to the channel; never compared
    record Outcome(byte[] stdout, byte[] stderr, int exitCode, long delayNanos, List<Job> jobs) {
    }

    /** A background job: file changes to apply once its simulated run time has passed. */
    record Job(long delayNanos, List<Runnable> effects) {
    }

    private static final int MAX_DEPTH = 16;

    private final SimulatedHost host;

    FleetShell(SimulatedHost host) {
        this.host = host;
    }

    /** Runs a command line, as the host's login shell would. */
    Outcome run(String commandLine) {
        Run run = new Run(null);
        List<Item> script;
        try {
            script = new Parser(commandLine).script();
        } catch (IllegalArgumentException syntax) {
            run.err("bash: -c: " + syntax.getMessage() + "\n");
            return new Outcome(run.out.toByteArray(), run.err.toByteArray(), 2, 0, List.of());
        }
        run.execute(script, 0);
        return new Outcome(run.out.toByteArray(), run.err.toByteArray(), run.exitCode, run.delayNanos, run.jobs);
    }

    /** Makes a path absolute against the user's home and removes {@code .} and {@code ..}. */
    String resolve(String path) {
        String absolute = path.startsWith("/") ? path
                : path.equals("~") ? host.home()
                : path.startsWith("~/") ? host.home() + path.substring(1)
                : host.home() + "/" + path;
        List<String> parts = new ArrayList<>();
        for (String part : absolute.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    // ---- parsing ------------------------------------------------------------------------------------------

    private record Redirect(String operator, String target) {
    }

    private record Simple(List<String> words, List<Redirect> redirects) {
    }

    /** Commands joined by && and ||; {@code operators.get(i)} joins command i and i+1. */
    private record AndOr(List<Simple> commands, List<String> operators) {
    }

    private record Item(AndOr body, boolean background) {
    }

    private static final class Parser {
        private final List<String[]> tokens = new ArrayList<>();
        private int position;

        Parser(String text) {
            tokenize(text);
        }

        private void tokenize(String text) {
            StringBuilder word = null;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n') {
                    if (c == '\n') {
                        word = flush(word);
                        tokens.add(new String[] {"op", ";"});
                    }
                    word = flush(word);
                    i++;
                } else if (c == '\'') {
                    int end = text.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unexpected EOF while looking for matching `''");
                    }
                    word = append(word, text.substring(i + 1, end));
                    i = end + 1;
                } else if (c == '"') {
                    StringBuilder quoted = new StringBuilder();
                    int j = i + 1;
                    while (j < text.length() && text.charAt(j) != '"') {
                        char q = text.charAt(j);
                        if (q == '\\' && j + 1 < text.length() && "\"\\$`".indexOf(text.charAt(j + 1)) >= 0) {
                            quoted.append(text.charAt(j + 1));
                            j += 2;
                        } else {
                            quoted.append(q);
                            j++;
                        }
                    }
                    if (j >= text.length()) {
                        throw new IllegalArgumentException("unexpected EOF while looking for matching `\"'");
                    }
                    word = append(word, quoted.toString());
                    i = j + 1;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word = append(word, String.valueOf(text.charAt(i + 1)));
                    i += 2;
                } else if (c == '#' && word == null) {
                    while (i < text.length() && text.charAt(i) != '\n') {
                        i++;
                    }
                } else {
                    String operator = operatorAt(text, i, word == null);
                    if (operator != null) {
                        word = flush(word);
                        tokens.add(new String[] {"op", operator});
                        i += operator.length();
                    } else {
                        word = append(word, String.valueOf(c));
                        i++;
                    }
                }
            }
            flush(word);
        }

        private static String operatorAt(String text, int i, boolean atWordStart) {
            for (String operator : List.of("2>&1", "&&", "||", "&>", ">>", "2>>", "2>", ">", "<", "&", "|", ";")) {
                if (operator.startsWith("2") && !atWordStart) {
                    continue;
                }
                if (text.startsWith(operator, i)) {
                    return operator;
                }
            }
            return null;
        }

        private static StringBuilder append(StringBuilder word, String text) {
            return (word == null ? new StringBuilder() : word).append(text);
        }

        private StringBuilder flush(StringBuilder word) {
            if (word != null) {
                tokens.add(new String[] {"word", word.toString()});
            }
            return null;
        }

        List<Item> script() {
            List<Item> items = new ArrayList<>();
            while (position < tokens.size()) {
                if (isOp(";")) {
                    position++;
                    continue;
                }
                AndOr body = andOr();
                boolean background = isOp("&");
                if (background || isOp(";")) {
                    position++;
                } else if (position < tokens.size()) {
                    throw new IllegalArgumentException("syntax error near unexpected token `" + peek()[1] + "'");
                }
                items.add(new Item(body, background));
            }
            return items;
        }

        private AndOr andOr() {
            List<Simple> commands = new ArrayList<>(List.of(simple()));
            List<String> operators = new ArrayList<>();
            while (isOp("&&") || isOp("||")) {
                operators.add(tokens.get(position++)[1]);
                commands.add(simple());
            }
            return new AndOr(commands, operators);
        }

        private Simple simple() {
            List<String> words = new ArrayList<>();
            List<Redirect> redirects = new ArrayList<>();
            while (position < tokens.size()) {
                String[] token = peek();
                if (token[0].equals("word")) {
                    words.add(token[1]);
                    position++;
                } else if (token[1].equals("2>&1")) {
                    redirects.add(new Redirect("2>&1", null));
                    position++;
                } else if (List.of(">", ">>", "&>", "2>", "2>>", "<").contains(token[1])) {
                    position++;
                    if (position >= tokens.size() || !peek()[0].equals("word")) {
                        throw new IllegalArgumentException("syntax error near unexpected token `newline'");
                    }
                    redirects.add(new Redirect(token[1], tokens.get(position++)[1]));
                } else if (token[1].equals("|")) {
                    throw new IllegalArgumentException("pipes are not simulated (run the fleet in real-shell mode)");
                } else {
                    break;
                }
            }
            if (words.isEmpty() && redirects.isEmpty()) {
                String near = position < tokens.size() ? peek()[1] : "newline";
                throw new IllegalArgumentException("syntax error near unexpected token `" + near + "'");
            }
            return new Simple(words, redirects);
        }

        private boolean isOp(String operator) {
            return position < tokens.size() && peek()[0].equals("op") && peek()[1].equals(operator);
        }

        private String[] peek() {
            return tokens.get(position);
        }
    }

    // ---- running ------------------------------------------------------------------------------------------

    /** One run of a script, foreground or a background job; {@code deferred} collects a job's file changes. */
    private final class Run {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final List<Job> jobs = new ArrayList<>();
        private final List<Runnable> deferred;
        private int exitCode;
        private long delayNanos;
        private boolean exited;

        Run(List<Runnable> deferred) {
            this.deferred = deferred;
        }

        void err(String text) {
            err.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void execute(List<Item> script, int depth) {
            for (Item item : script) {
                if (exited) {
                    return;
                }
                if (item.background()) {
                    Run job = new Run(new ArrayList<>());
                    job.andOr(item.body(), depth);
                    jobs.add(new Job(job.delayNanos, job.deferred));
                    jobs.addAll(job.jobs);
                    exitCode = 0;
                } else {
                    andOr(item.body(), depth);
                }
            }
        }

        private void andOr(AndOr body, int depth) {
            simple(body.commands().get(0), depth);
            for (int i = 0; i < body.operators().size() && !exited; i++) {
                boolean runNext = body.operators().get(i).equals("&&") == (exitCode == 0);
                if (runNext) {
                    simple(body.commands().get(i + 1), depth);
                }
            }
        }

        private void simple(Simple command, int depth) {
            ByteArrayOutputStream commandOut = new ByteArrayOutputStream();
            ByteArrayOutputStream commandErr = new ByteArrayOutputStream();
            if (!command.words().isEmpty()) {
                exitCode = builtin(command.words(), commandOut, commandErr, depth);
            }
            String outTarget = null;
            String errTarget = null;
            boolean errToOut = false;
            boolean appendOut = false;
            boolean appendErr = false;
            for (Redirect redirect : command.redirects()) {
                switch (redirect.operator()) {
                    case ">", ">>" -> {
                        outTarget = redirect.target();
                        appendOut = redirect.operator().equals(">>");
                    }
                    case "&>" -> {
                        outTarget = redirect.target();
                        appendOut = false;
                        errToOut = true;
                    }
                    case "2>", "2>>" -> {
                        errTarget = redirect.target();
                        appendErr = redirect.operator().equals("2>>");
                        errToOut = false;
                    }
                    case "2>&1" -> errToOut = true;
                    default -> {
                        // "<": commands here read no input.
                    }
                }
            }
            byte[] stdoutBytes = commandOut.toByteArray();
            byte[] stderrBytes = commandErr.toByteArray();
            if (errToOut) {
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.writeBytes(stdoutBytes);
                both.writeBytes(stderrBytes);
                stdoutBytes = both.toByteArray();
                stderrBytes = new byte[0];
            }
            deliver(stdoutBytes, outTarget, appendOut, out);
            deliver(stderrBytes, errTarget, appendErr, err);
        }

        private void deliver(byte[] bytes, String target, boolean append, ByteArrayOutputStream stream) {
            if (target == null) {
                stream.writeBytes(bytes);
            } else if (!target.equals("/dev/null")) {
                String path = resolve(target);
                if (deferred != null) {
                    deferred.add(() -> host.files().write(path, bytes, append));
                } else {
                    String error = host.files().write(path, bytes, append);
                    if (error != null) {
                        err("bash: " + target + ": " + error + "\n");
                        exitCode = 1;
                    }
                }
            }
        }

        private void change(Runnable effect) {
            if (deferred != null) {
                deferred.add(effect);
            } else {
                effect.run();
            }
        }

        private int builtin(List<String> words, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr,
                int depth) {
            String name = words.get(0);
            List<String> args = words.subList(1, words.size());
            Builtins builtins = new Builtins(FleetShell.this, host, stdout, stderr);
            return switch (name) {
                case "true", ":", "cd" -> 0;
                case "false" -> 1;
                case "exit" -> {
                    exited = true;
                    yield args.isEmpty() ? exitCode : parseExit(args.get(0));
                }
                case "sleep" -> {
                    long nanos = Builtins.sleepNanos(args);
                    if (nanos < 0) {
                        builtins.print(stderr, "sleep: invalid time interval\n");
                        yield 1;
                    }
                    delayNanos += nanos;
                    yield 0;
                }
                case "nohup" -> args.isEmpty() ? builtins.fail("nohup: missing operand\n", 125)
                        : builtin(args, stdout, stderr, depth);
                case "bash", "sh", "source", "." -> script(name, args, stdout, stderr, depth);
                case "chmod", "mkdir", "rm", "touch" -> builtins.mutating(name, args, this::change);
                default -> builtins.run(name, args);
            };
        }

        private int script(String shell, List<String> args, ByteArrayOutputStream stdout,
                ByteArrayOutputStream stderr, int depth) {
            if (depth >= MAX_DEPTH) {
                stderr.writeBytes((shell + ": maximum nesting reached\n").getBytes(StandardCharsets.UTF_8));
                return 2;
            }
            String text;
            if (!args.isEmpty() && args.get(0).equals("-c")) {
                text = args.size() > 1 ? args.get(1) : "";
            } else if (!args.isEmpty()) {
                var file = host.files().get(resolve(args.get(0)));
                if (file.isEmpty() || file.get().directory()) {
                    stderr.writeBytes((shell + ": " + args.get(0) + ": No such file or directory\n")
                            .getBytes(StandardCharsets.UTF_8));
                    return 127;
                }
                text = new String(file.get().data(), StandardCharsets.UTF_8);
            } else {
                return 0;
            }
            Run nested = new Run(deferred);
            try {
                nested.execute(new Parser(text).script(), depth + 1);
            } catch (IllegalArgumentException syntax) {
                stderr.writeBytes((shell + ": " + syntax.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                return 2;
            }
            stdout.writeBytes(nested.out.toByteArray());
            stderr.writeBytes(nested.err.toByteArray());
            delayNanos += nested.delayNanos;
            jobs.addAll(nested.jobs);
            return nested.exitCode;
        }

        private int parseExit(String text) {
            try {
                return Integer.parseInt(text) & 0xff;
            } catch (NumberFormatException e) {
                err("bash: exit: " + text + ": numeric argument required\n");
                return 2;
            }
        }
    }
}
