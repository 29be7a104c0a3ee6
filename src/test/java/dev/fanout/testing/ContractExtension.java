package dev.fanout.testing;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each {@link ContractTest} once per {@link ContractTarget}. Each run may take as parameters its
 * {@link ContractTarget}, its {@link TestDriver}, its {@link TestServer} (or the server's own class), its variant, and
 * a {@link Fanout}: a client of the server logging in with the server's password. After the run the extension closes
 * every client and fleet the target made, then fails the test if anything leaked ({@link LeakCheck}): a connection
 * still open on a running server or to a fleet of the test, or a thread fanout started during the run still alive,
 * once each has had up to {@link #SETTLE} to end.
 */
public final class ContractExtension implements TestTemplateInvocationContextProvider {

    /** How long a closed client's connections and threads may take to end (they take milliseconds unloaded). */
    static final Duration SETTLE = Await.PATIENCE;

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), ContractTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        ContractTest test = AnnotationSupport.findAnnotation(context.getTestMethod(), ContractTest.class)
                .orElseThrow();
        List<Optional<ContractServer>> servers = test.servers().length == 0 ? List.of(Optional.empty())
                : Arrays.stream(test.servers()).map(Optional::of).toList();
        List<Optional<Enum<?>>> variants = variants(test);
        return Arrays.stream(test.drivers()).flatMap(driver -> servers.stream().flatMap(server -> variants.stream()
                .map(variant -> new Run(new ContractTarget(driver, server, variant)))));
    }

    private static List<Optional<Enum<?>>> variants(ContractTest test) {
        if (test.each() == ContractTest.None.class) {
            return List.of(Optional.empty());
        }
        List<String> names = List.of(test.names());
        List<Optional<Enum<?>>> variants = Arrays.stream(test.each().getEnumConstants())
                .filter(constant -> names.isEmpty() || names.contains(constant.name()))
                .<Optional<Enum<?>>>map(Optional::of).toList();
        if (variants.size() != (names.isEmpty() ? test.each().getEnumConstants().length : names.size())) {
            throw new IllegalArgumentException("@ContractTest names " + names + " not all in " + test.each());
        }
        return variants;
    }

    /** One run of a contract test: its name, its parameters, and the leak check around it. */
    private static final class Run implements TestTemplateInvocationContext, ParameterResolver, BeforeEachCallback,
            AfterEachCallback {

        private final ContractTarget target;
        private LeakCheck leakCheck;

        Run(ContractTarget target) {
            this.target = target;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return target.toString();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        /** Starts the server (or skips the run where the real sshd cannot run) and notes the threads alive. */
        @Override
        public void beforeEach(ExtensionContext context) {
            target.serverKind().ifPresent(ContractServer::server);
            leakCheck = new LeakCheck(SETTLE);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            boolean hasServer = target.serverKind().isPresent();
            return type == ContractTarget.class || type == TestDriver.class
                    || (hasServer && (type == Fanout.class || type.isInstance(target.server())))
                    || target.variant().map(variant -> type == variant.getDeclaringClass()).orElse(false);
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            if (type == ContractTarget.class) {
                return target;
            }
            if (type == TestDriver.class) {
                return target.driver();
            }
            if (type == Fanout.class) {
                return target.fanout(Credentials.password(target.server().password()));
            }
            if (target.serverKind().isPresent() && type.isInstance(target.server())) {
                return target.server();
            }
            return target.variant().orElseThrow();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            leakCheck.closeAndCheck(target);
        }
    }
}
