package dev.fanout.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.fanout.Auth}: the user authentication of one session, after its connect. */
@Name("dev.fanout.Auth")
@Label("SSH Authentication")
@Category({"fanout", "SSH"})
@Description("User authentication of one SSH session")
@StackTrace(false)
final class AuthEvent extends Event {

    @Label("Host")
    @Description("user@address:port")
    String host;

    @Label("Driver")
    String driver;

    @Label("Phase")
    @Description("auth, or where it failed")
    String phase;

    @Label("Outcome")
    @Description("ok, cancelled, or the failure's kind, e.g. auth_failed, connect_timeout")
    String outcome;
}
