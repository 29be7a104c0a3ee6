package dev.fanout.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test run once for each driver against each server (and each variant, when it has some), in that order. The
 * {@link ContractExtension} hands the test its parameters, closes what it handed out, and after every run fails the
 * test if a session, a fanout thread or a fleet connection was left behind.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(ContractExtension.class)
public @interface ContractTest {

    /** The drivers to run. */
    TestDriver[] drivers() default {TestDriver.JSCH, TestDriver.MINA};

    /** The servers to run against; none for tests that need no server or bring their own. */
    ContractServer[] servers() default {ContractServer.MINA_SERVER, ContractServer.OPENSSH};

    /** An enum whose constants each run with every driver and server, given to the test as a parameter. */
    Class<? extends Enum<?>> each() default None.class;

    /** The names of the constants of {@link #each()} to run; all of them when empty. */
    String[] names() default {};

    /** No variants: the default of {@link #each()}. */
    enum None {
    }
}
