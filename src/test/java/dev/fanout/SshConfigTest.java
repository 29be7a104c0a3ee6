package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshConfig#host}: a host spec read as ssh reads its command line. */
class SshConfigTest {

    @TempDir
    Path dir;

    @Test
    void takesUserAndPortFromTheSpecThenTheConfigThenTheDefaults() throws Exception {
        SshConfig config = SshConfig.file(Files.write(dir.resolve("config"),
                List.of("Host web*", "    User deploy", "    Port 2222", "    HostName 10.0.0.5")));
        assertEquals(new Host("web1", 2222, "deploy"), config.host("web1", "me"));
        assertEquals(new Host("web1", 22, "root"), config.host("root@web1:22", "me"));
        assertEquals(new Host("db1", 22, "me"), config.host("db1", "me"));
        assertEquals(new Host("::1", 2200, "me"), config.host("[::1]:2200", "me"));
        IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class, () -> config.host("db1", null));
        assertEquals("no user given for host 'db1'", noUser.getMessage());
        assertEquals(dir.resolve("config"), config.path());
    }
}
