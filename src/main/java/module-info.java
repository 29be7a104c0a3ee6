/**
 * fanout: run commands and file transfers on many hosts over SSH.
 *
 * <p>Exported: the API ({@code dev.fanout}, {@code dev.fanout.error}), the driver contract ({@code dev.fanout.spi}),
 * the simulated fleet ({@code dev.fanout.fleet}) and the Micrometer binder ({@code dev.fanout.micrometer}).
 * Everything under {@code dev.fanout.internal} and the command line ({@code dev.fanout.cli}) is implementation.
 * picocli and jackson-core (the command line, its JSON), snakeyaml-engine (YAML inventories and fleet scenario files),
 * Micrometer (the binder), and JFreeChart with JFreeSVG (the charts of {@code fanout demo --chart}) are optional: add
 * them with {@code --add-modules} to use those parts on the module path.
 */
module dev.fanout {
    requires com.jcraft.jsch;
    requires org.apache.sshd.osgi;
    requires org.apache.sshd.sftp;
    requires org.apache.commons.pool2;
    requires org.slf4j;
    // Not imported: read through MINA and JSch (Ed25519, X25519; encrypted PKCS#8 keys), so required to be resolved.
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    // fanout demo measures its own CPU time; the fleet and the command line read the open-file limit.
    requires java.management;
    requires jdk.management;
    // The command line's JUnit XML reports (StAX).
    requires java.xml;
    // JDK Flight Recorder events (dev.fanout.internal.events).
    requires jdk.jfr;
    requires static info.picocli;
    requires static org.snakeyaml.engine;
    requires static tools.jackson.core;
    // The command line's SVG charts (dev.fanout.cli.ScalingChart): JFreeChart draws on JFreeSVG's Graphics2D.
    requires static org.jfree.jfreechart;
    requires static org.jfree.svg;
    requires static java.desktop;
    // dev.fanout.micrometer only, for applications that bring Micrometer; transitive, as its API names Micrometer.
    requires static transitive micrometer.core;

    exports dev.fanout;
    exports dev.fanout.error;
    exports dev.fanout.spi;
    exports dev.fanout.fleet;
    exports dev.fanout.micrometer;

    opens dev.fanout.cli to info.picocli;

    uses dev.fanout.spi.SshDriverProvider;

    provides dev.fanout.spi.SshDriverProvider with
            dev.fanout.internal.driver.jsch.JschDriverProvider,
            dev.fanout.internal.driver.mina.MinaDriverProvider;
}
