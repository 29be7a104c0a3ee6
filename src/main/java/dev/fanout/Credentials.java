package dev.fanout;

import java.util.List;
import java.util.Objects;

/**
 * The ways of logging in offered to every host of a {@link Fanout}, tried in order until one succeeds.
 *
 * <p>Immutable and thread-safe; {@link #toString()} names the methods without any secret.
 *
 * @param methods the methods, at least one, in the order they are tried
 */
public record Credentials(List<AuthMethod> methods) {

    /** Copies the list; rejects an empty one. */
    public Credentials {
        methods = List.copyOf(methods);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("credentials need at least one authentication method");
        }
    }

    /** Credentials with the given methods, tried in this order. */
    public static Credentials of(AuthMethod... methods) {
        return new Credentials(List.of(methods));
    }

    /**
     * A password, offered as the {@code password} method and, for servers that accept only keyboard-interactive
     * (as PAM set-ups often do), to keyboard-interactive prompts that ask for a password.
     */
    public static Credentials password(Secret password) {
        Objects.requireNonNull(password, "password");
        return of(AuthMethod.password(password),
                AuthMethod.keyboardInteractive(KeyboardInteractiveResponder.password(password)));
    }

    /** These methods followed by {@code more}. */
    public Credentials orElse(AuthMethod... more) {
        List<AuthMethod> all = new java.util.ArrayList<>(methods);
        all.addAll(List.of(more));
        return new Credentials(all);
    }

    /** The SSH method names in order, comma separated, as OpenSSH's {@code PreferredAuthentications} takes them. */
    public String preferredAuthentications() {
        return String.join(",", methods.stream().map(AuthMethod::sshName).distinct().toList());
    }

    /** The first method of the given type, if any. */
    public <T extends AuthMethod> java.util.Optional<T> first(Class<T> type) {
        return methods.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Every method of the given type, in order. */
    public <T extends AuthMethod> List<T> all(Class<T> type) {
        return methods.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
