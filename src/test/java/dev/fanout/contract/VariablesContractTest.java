package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Fanout;
import dev.fanout.HostResult;
import dev.fanout.RunOptions;
import dev.fanout.StepResult;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A target's variables reach its commands as one argument each, whatever they hold, on both servers. */
class VariablesContractTest {

    /**
     * Values that would each delete the canary file (or try {@code rm -rf /}) if they broke out of their argument.
     * The canary's directory lets the login user delete it, so a breakout would show; after the run it is still there
     * and each value came back verbatim as one argument.
     */
    @ContractTest
    void substitutesValuesAsOneArgumentEachThatNeverBreakOut(TestServer server, Fanout fanout) throws Exception {
        Path directory = Files.createTempDirectory(ContractServers.scratch(), "canary");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path canary = Files.writeString(directory.resolve("canary"), "still here");
        String rm = "rm -f " + canary;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("issue", "'; rm -rf /");
        values.put("single", "'; " + rm + "; echo '");
        values.put("double", "\"; " + rm + "; echo \"");
        values.put("substitution", "$(" + rm + ")");
        values.put("backquotes", "`" + rm + "`");
        values.put("newline", "x\n" + rm);
        values.put("spaces", " a  b ");
        values.put("glob", "*");
        values.put("backslash", "\\'\\");
        values.put("empty", "");
        values.put("plain", "agent-7");
        String placeholders = values.keySet().stream().map(name -> "{{" + name + "}}")
                .collect(Collectors.joining(" "));
        Target target = Target.of(server.host(TestServer.PASSWORD_USER)).withVars(values);

        HostResult result = fanout.runTargets(List.of(target), Task.of("printf '[%s]\\n' " + placeholders),
                RunOptions.defaults()).results().get(0);

        assertTrue(result.ok(), result.detail() + result.output());
        String printed = ((StepResult.Executed) result.steps().get(0)).exec().stdout().text();
        assertEquals(values.values().stream().map(value -> "[" + value + "]\n").collect(Collectors.joining()),
                printed);
        assertEquals("still here", Files.readString(canary));
    }
}
