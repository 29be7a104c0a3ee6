package dev.fanout.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.fanout.Connect}: the TCP connect, key exchange and host key check of one session. */
@Name("dev.fanout.Connect")
@Label("SSH Connect")
@Category({"fanout", "SSH"})
@Description("Name lookup, TCP connect, key exchange and host key check of one SSH session")
@StackTrace(false)
final class ConnectEvent extends Event {

    @Label("Host")
    @Description("user@address:port")
    String host;

    @Label("Driver")
    String driver;

    @Label("Phase")
    @Description("connect when it succeeded, else where it failed: connect, key_exchange or host_key")
    String phase;

    @Label("Outcome")
    @Description("ok, cancelled, or the failure's kind, e.g. connection_refused, host_key_unknown")
    String outcome;
}
