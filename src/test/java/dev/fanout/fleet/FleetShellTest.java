package dev.fanout.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FleetShellTest {

    private final SimulatedHost host = new SimulatedHost(41, SimulatedHost.addressOf(41), "sim-00041",
            "5.10.0-21-amd64", "root", (KeyPair) null, null, Set.of(), 0, false,
            new SimulatedHost.FileSystemHolder(new SharedContents(), Long.MAX_VALUE));
    private final FleetShell shell = new FleetShell(host);

    private static String out(FleetShell.Outcome outcome) {
        return new String(outcome.stdout(), StandardCharsets.UTF_8);
    }

    private static String err(FleetShell.Outcome outcome) {
        return new String(outcome.stderr(), StandardCharsets.UTF_8);
    }

    @Test
    void runsTheReferenceWorkloadsCommands() {
        assertEquals("Linux 5.10.0-21-amd64\n", out(shell.run("uname -sr")));
        FleetShell.Outcome write = shell.run("echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh");
        assertEquals(0, write.exitCode());
        assertEquals("sleep 5 && ls -al\n", out(shell.run("cat /tmp/sleep.sh")));
        assertEquals(0, shell.run("test -x /tmp/sleep.sh").exitCode());

        FleetShell.Outcome nohup = shell.run("nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");
        assertEquals(0, nohup.exitCode());
        assertEquals(0, nohup.delayNanos(), "the background job does not hold the command");
        assertEquals(1, nohup.jobs().size());
        FleetShell.Job job = nohup.jobs().get(0);
        assertEquals(TimeUnit.SECONDS.toNanos(5), job.delayNanos());
        assertEquals(1, shell.run("test -f /tmp/nm.nohup.out").exitCode(), "no output before the job's 5 s");
        job.effects().forEach(Runnable::run);
        assertTrue(out(shell.run("cat /tmp/nm.nohup.out")).startsWith("total "));
    }

    @Test
    void reportsUnknownCommandsLikeSh() {
        FleetShell.Outcome outcome = shell.run("frobnicate --now");
        assertEquals(127, outcome.exitCode());
        assertEquals("sh: frobnicate: command not found\n", err(outcome));
    }

    @Test
    void followsAndOrAndSequences() {
        assertEquals("b\nc\n", out(shell.run("false && echo a || echo b; echo c")));
        assertEquals(3, shell.run("true; exit 3; echo never").exitCode());
        assertEquals("", out(shell.run("true; exit 3; echo never")));
    }

    @Test
    void redirectsAndAppends() {
        shell.run("echo one > f; echo two >> f; cat missing 2> e; echo out 2>&1 >> f");
        assertEquals("one\ntwo\nout\n", out(shell.run("cat f")));
        assertEquals("cat: missing: No such file or directory\n", out(shell.run("cat ~/e")));
        assertEquals("", out(shell.run("echo gone > /dev/null")));
        FleetShell.Outcome noDir = shell.run("echo x > /nowhere/file");
        assertEquals(1, noDir.exitCode());
        assertTrue(err(noDir).contains("Directory nonexistent"), err(noDir));
    }

    @Test
    void quotesAndEscapes() {
        assertEquals("a  b $HOME \"q\"\n", out(shell.run("echo 'a  b' \"\\$HOME\" '\"q\"'")));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe, 'o', 'k'}, shell.run("printf '\\377\\376ok'").stdout());
        assertEquals("x=1 y=\n", out(shell.run("printf 'x=%s y=%s\\n' 1")));
        assertEquals(2, shell.run("echo 'unterminated").exitCode());
    }

    @Test
    void addsUpSleepsOfForegroundCommands() {
        FleetShell.Outcome outcome = shell.run("sleep 1; sleep 0.5 && echo done");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), outcome.delayNanos());
        assertEquals("done\n", out(outcome));
        assertEquals(1, shell.run("sleep soon").exitCode());
    }

    @Test
    void managesFilesAndModes() {
        shell.run("mkdir -p /opt/agent/bin && touch /opt/agent/bin/run && chmod 750 /opt/agent/bin/run");
        assertEquals("-rwxr-x---", out(shell.run("ls -l /opt/agent/bin/run")).substring(0, 10));
        assertEquals(0, shell.run("chmod o+r,g-x /opt/agent/bin/run").exitCode());
        assertEquals("-rwxr--r--", out(shell.run("ls -l /opt/agent/bin/run")).substring(0, 10));
        assertEquals(1, shell.run("chmod q+z /opt/agent/bin/run").exitCode());
        assertEquals(0, shell.run("[ -d /opt/agent ]").exitCode());
        assertEquals("bin\n", out(shell.run("ls /opt/agent")));
        assertEquals(0, shell.run("rm -rf /opt/agent").exitCode());
        assertEquals(2, shell.run("ls /opt/agent").exitCode());
    }

    @Test
    void refusesPipesWithAClearMessage() {
        FleetShell.Outcome outcome = shell.run("ls | wc -l");
        assertEquals(2, outcome.exitCode());
        assertTrue(err(outcome).contains("pipes are not simulated"), err(outcome));
    }

    @Test
    void answersIdentityQuestions() {
        assertEquals("sim-00041\n", out(shell.run("hostname")));
        assertEquals("root\n", out(shell.run("whoami")));
        assertEquals("uid=0(root) gid=0(root) groups=0(root)\n", out(shell.run("id")));
        assertEquals("Linux sim-00041 5.10.0-21-amd64 x86_64 GNU/Linux\n", out(shell.run("uname -a")));
        assertEquals("/root\n", out(shell.run("pwd")));
    }

    @Test
    void runsScriptsFromFilesAndStrings() {
        shell.run("printf 'echo from-file\\nexit 4\\n' > s.sh");
        FleetShell.Outcome outcome = shell.run("bash s.sh");
        assertEquals("from-file\n", out(outcome));
        assertEquals(4, outcome.exitCode());
        assertEquals("inline\n", out(shell.run("sh -c 'echo inline'")));
        assertEquals(127, shell.run("bash /no/such.sh").exitCode());
    }
}
