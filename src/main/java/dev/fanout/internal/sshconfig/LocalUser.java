package dev.fanout.internal.sshconfig;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What {@code ~}, {@code %d}, {@code %u} and {@code ${VAR}} expand to: the local user's home and name, and the
 * environment.
 *
 * @param home the home directory ({@code ~}, {@code %d}); relative {@code Include}s are read from its {@code .ssh}
 * @param name the local user name ({@code %u})
 * @param environment looks up environment variables
 */
public record LocalUser(Path home, String name, UnaryOperator<String> environment) {

    /** The user running this JVM: {@code user.home}, {@code user.name} and {@link System#getenv(String)}. */
    public static LocalUser current() {
        return new LocalUser(Path.of(System.getProperty("user.home")), System.getProperty("user.name"),
                System::getenv);
    }

    /** {@code ~/.ssh}. */
    public Path sshDirectory() {
        return home.resolve(".ssh");
    }
}
