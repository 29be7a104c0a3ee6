package dev.fanout.fleet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/** The simulated commands of {@link FleetShell} that read or print host state. */
final class Builtins {

    private final FleetShell shell;
    private final SimulatedHost host;
    private final ByteArrayOutputStream stdout;
    private final ByteArrayOutputStream stderr;

    Builtins(FleetShell shell, SimulatedHost host, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) {
        this.shell = shell;
        this.host = host;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    void print(ByteArrayOutputStream stream, String text) {
        stream.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    int fail(String message, int code) {
        print(stderr, message);
        return code;
    }

    /** Runs a command that only reads state; unknown names exit 127 like sh. */
    int run(String name, List<String> args) {
        return switch (name) {
            case "echo" -> echo(args);
            case "printf" -> printf(args);
            case "cat" -> cat(args);
            case "ls" -> ls(args);
            case "test" -> test(args);
            case "[" -> !args.isEmpty() && args.get(args.size() - 1).equals("]")
                    ? test(args.subList(0, args.size() - 1)) : fail("[: missing `]'\n", 2);
            case "uname" -> uname(args);
            case "hostname" -> {
                print(stdout, host.name() + "\n");
                yield 0;
            }
            case "whoami" -> {
                print(stdout, host.user() + "\n");
                yield 0;
            }
            case "id" -> id(args);
            case "pwd" -> {
                print(stdout, host.home() + "\n");
                yield 0;
            }
            default -> fail("sh: " + name + ": command not found\n", 127);
        };
    }

    /** Runs a command that changes the file system, through {@code change} (now, or when a job ends). */
    int mutating(String name, List<String> args, Consumer<Runnable> change) {
        List<String> operands = args.stream().filter(arg -> !arg.startsWith("-")).toList();
        boolean force = args.stream().anyMatch(arg -> arg.startsWith("-") && arg.contains("f"));
        boolean recursive = args.stream().anyMatch(arg -> arg.startsWith("-") && (arg.contains("r")
                || arg.contains("R") || arg.contains("p")));
        if (operands.isEmpty() || (name.equals("chmod") && operands.size() < 2)) {
            return fail(name + ": missing operand\n", 1);
        }
        int status = 0;
        switch (name) {
            case "chmod" -> {
                IntUnaryOperator mode = parseMode(operands.get(0));
                if (mode == null) {
                    return fail("chmod: invalid mode: '" + operands.get(0) + "'\n", 1);
                }
                for (String operand : operands.subList(1, operands.size())) {
                    String path = shell.resolve(operand);
                    if (host.files().get(path).isEmpty()) {
                        status = fail("chmod: cannot access '" + operand + "': No such file or directory\n", 1);
                    } else {
                        change.accept(() -> host.files().chmod(path, mode));
                    }
                }
            }
            case "mkdir" -> {
                for (String operand : operands) {
                    String path = shell.resolve(operand);
                    change.accept(() -> host.files().mkdir(path, recursive));
                }
            }
            case "rm" -> {
                for (String operand : operands) {
                    String path = shell.resolve(operand);
                    if (host.files().get(path).isEmpty() && !force) {
                        status = fail("rm: cannot remove '" + operand + "': No such file or directory\n", 1);
                    } else {
                        change.accept(() -> host.files().remove(path, recursive));
                    }
                }
            }
            default -> {
                for (String operand : operands) {
                    String path = shell.resolve(operand);
                    change.accept(() -> host.files().write(path, new byte[0], true));
                }
            }
        }
        return status;
    }

    private int echo(List<String> args) {
        boolean newline = true;
        boolean escapes = false;
        int first = 0;
        while (first < args.size() && args.get(first).matches("-[neE]+")) {
            newline &= !args.get(first).contains("n");
            escapes |= args.get(first).contains("e");
            first++;
        }
        String text = String.join(" ", args.subList(first, args.size()));
        stdout.writeBytes(escapes ? unescape(text) : text.getBytes(StandardCharsets.UTF_8));
        if (newline) {
            stdout.write('\n');
        }
        return 0;
    }

    private int printf(List<String> args) {
        if (args.isEmpty()) {
            return fail("printf: usage: printf format [arguments]\n", 2);
        }
        String format = args.get(0);
        List<String> values = args.subList(1, args.size());
        StringBuilder expanded = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char spec = format.charAt(++i);
                if (spec == '%') {
                    expanded.append('%');
                } else {
                    expanded.append(next < values.size() ? values.get(next++) : (spec == 'd' ? "0" : ""));
                }
            } else {
                expanded.append(c);
            }
        }
        stdout.writeBytes(unescape(expanded.toString()));
        return 0;
    }

    /** Expands {@code \n \t \\ \NNN} (octal) as echo -e and printf do; text is UTF-8, escapes give raw bytes. */
    private static byte[] unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case '\\' -> bytes.write('\\');
                default -> {
                    if (next >= '0' && next <= '7') {
                        int value = 0;
                        int digits = 0;
                        int j = i;
                        while (j < text.length() && digits < 3 && text.charAt(j) >= '0' && text.charAt(j) <= '7') {
                            value = value * 8 + (text.charAt(j) - '0');
                            j++;
                            digits++;
                        }
                        bytes.write(value & 0xff);
                        i = j - 1;
                    } else {
                        bytes.write('\\');
                        bytes.writeBytes(String.valueOf(next).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return bytes.toByteArray();
    }

    private int cat(List<String> args) {
        int status = 0;
        for (String arg : args) {
            Optional<FleetFileSystem.Node> node = host.files().get(shell.resolve(arg));
            if (node.isEmpty()) {
                status = fail("cat: " + arg + ": No such file or directory\n", 1);
            } else if (node.get().directory()) {
                status = fail("cat: " + arg + ": Is a directory\n", 1);
            } else {
                stdout.writeBytes(node.get().data());
            }
        }
        return status;
    }

    private int ls(List<String> args) {
        boolean longFormat = args.stream().anyMatch(arg -> arg.startsWith("-") && arg.contains("l"));
        boolean all = args.stream().anyMatch(arg -> arg.startsWith("-") && arg.contains("a"));
        List<String> paths = args.stream().filter(arg -> !arg.startsWith("-")).toList();
        int status = 0;
        for (String arg : paths.isEmpty() ? List.of(".") : paths) {
            String path = shell.resolve(arg);
            Optional<FleetFileSystem.Node> node = host.files().get(path);
            if (node.isEmpty()) {
                status = fail("ls: cannot access '" + arg + "': No such file or directory\n", 2);
                continue;
            }
            List<String> names = new ArrayList<>();
            if (!node.get().directory()) {
                names.add(arg);
            } else {
                if (all) {
                    names.add(".");
                    names.add("..");
                }
                names.addAll(host.files().list(path));
            }
            if (longFormat && node.get().directory()) {
                print(stdout, "total " + names.size() * 4 + "\n");
            }
            for (String name : names) {
                if (!longFormat) {
                    print(stdout, name + "\n");
                    continue;
                }
                String full = node.get().directory() ? shell.resolve(arg + "/" + name) : path;
                FleetFileSystem.Node entry = host.files().get(full).orElse(node.get());
                long size = entry.directory() ? 4096 : entry.data().length;
                print(stdout, String.format("%s %d %s %s %6d Jan  1 00:00 %s%n", modeString(entry), 1,
                        host.user(), host.user(), size, name));
            }
        }
        return status;
    }

    private static String modeString(FleetFileSystem.Node node) {
        StringBuilder text = new StringBuilder(node.directory() ? "d" : "-");
        String letters = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((node.mode() & (1 << bit)) != 0 ? letters.charAt(2 - bit % 3) : '-');
        }
        return text.toString();
    }

    private int test(List<String> args) {
        if (args.isEmpty()) {
            return 1;
        }
        if (args.get(0).equals("!")) {
            return test(args.subList(1, args.size())) == 0 ? 1 : 0;
        }
        if (args.size() == 1) {
            return args.get(0).isEmpty() ? 1 : 0;
        }
        if (args.size() == 3 && (args.get(1).equals("=") || args.get(1).equals("!="))) {
            return args.get(0).equals(args.get(2)) == args.get(1).equals("=") ? 0 : 1;
        }
        String operand = args.get(1);
        Optional<FleetFileSystem.Node> node = host.files().get(shell.resolve(operand));
        boolean result = switch (args.get(0)) {
            case "-e" -> node.isPresent();
            case "-f" -> node.isPresent() && !node.get().directory();
            case "-d" -> node.isPresent() && node.get().directory();
            case "-x" -> node.isPresent() && (node.get().mode() & 0111) != 0;
            case "-s" -> node.isPresent() && !node.get().directory() && node.get().data().length > 0;
            case "-n" -> !operand.isEmpty();
            case "-z" -> operand.isEmpty();
            default -> false;
        };
        return result ? 0 : 1;
    }

    private int uname(List<String> args) {
        String flags = String.join("", args.stream().filter(arg -> arg.startsWith("-"))
                .map(arg -> arg.substring(1)).toList());
        if (flags.isEmpty()) {
            flags = "s";
        }
        if (flags.contains("a")) {
            flags = "snrmo";
        }
        List<String> parts = new ArrayList<>();
        for (char flag : "snrmo".toCharArray()) {
            if (flags.indexOf(flag) >= 0) {
                parts.add(switch (flag) {
                    case 's' -> "Linux";
                    case 'n' -> host.name();
                    case 'r' -> host.kernel();
                    case 'm' -> "x86_64";
                    default -> "GNU/Linux";
                });
            }
        }
        print(stdout, String.join(" ", parts) + "\n");
        return 0;
    }

    private int id(List<String> args) {
        boolean root = host.user().equals("root");
        if (args.contains("-un") || args.contains("-nu")) {
            print(stdout, host.user() + "\n");
        } else {
            int uid = root ? 0 : 1000;
            print(stdout, "uid=" + uid + "(" + host.user() + ") gid=" + uid + "(" + host.user() + ") groups=" + uid
                    + "(" + host.user() + ")\n");
        }
        return 0;
    }

    /** Parses {@code 755}, {@code +x}, {@code u+x}, {@code go-w,o+r} and the like; null if malformed. */
    static IntUnaryOperator parseMode(String text) {
        if (text.matches("[0-7]{1,4}")) {
            int mode = Integer.parseInt(text, 8);
            return old -> mode;
        }
        IntUnaryOperator combined = IntUnaryOperator.identity();
        for (String clause : text.split(",", -1)) {
            IntUnaryOperator step = parseSymbolicMode(clause);
            if (step == null) {
                return null;
            }
            combined = combined.andThen(step);
        }
        return combined;
    }

    private static IntUnaryOperator parseSymbolicMode(String text) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("([ugoa]*)([+=-])([rwx]+)").matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        String who = matcher.group(1).isEmpty() || matcher.group(1).contains("a") ? "ugo" : matcher.group(1);
        int bits = 0;
        for (char permission : matcher.group(3).toCharArray()) {
            int value = permission == 'r' ? 4 : permission == 'w' ? 2 : 1;
            bits |= (who.contains("u") ? value << 6 : 0) | (who.contains("g") ? value << 3 : 0)
                    | (who.contains("o") ? value : 0);
        }
        int mask = bits;
        return switch (matcher.group(2)) {
            case "+" -> old -> old | mask;
            case "-" -> old -> old & ~mask;
            default -> old -> mask;
        };
    }

    /** {@code sleep}'s total time in nanoseconds ({@code 5}, {@code 0.5}, {@code 2m}), or -1 if malformed. */
    static long sleepNanos(List<String> args) {
        if (args.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (String arg : args) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([smhd]?)")
                    .matcher(arg);
            if (!matcher.matches()) {
                return -1;
            }
            double seconds = Double.parseDouble(matcher.group(1)) * switch (matcher.group(2)) {
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86_400;
                default -> 1;
            };
            total += (long) (seconds * 1e9);
        }
        return total;
    }
}
