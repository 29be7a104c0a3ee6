package dev.fanout.docs;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.RunHandle;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Target;
import dev.fanout.Task;
import java.util.List;

/** Installs an agent on the hosts of an inventory, each host with its own login password and its own agent id. */
public final class AgentInstaller {

    /** A row of the inventory: the host and its agent id from your database, its password from your vault. */
    public record Row(Host host, Secret password, String agentId) {
    }

    private final Fanout fanout;

    /** Takes a client with a session pool ({@code Fanout.Builder.sessionPool}), shared with other jobs. */
    public AgentInstaller(Fanout fanout) {
        this.fanout = fanout;
    }

    /** Each host writes its own id, one shell word whatever it holds: {@code printf '%s\n' 7f3a > .agent-id}. */
    public RunReport install(List<Row> rows) {
        return fanout.runTargets(targets(rows), Task.of("printf '%s\\n' {{agent_id}} > .agent-id"),
                RunOptions.defaults());
    }

    /**
     * A later job on the same rows: it gets the sessions {@link #install} left in the pool, since its targets log in
     * with equal credentials (made of the same {@link Secret}s). A session is never lent to other credentials.
     */
    public RunHandle check(List<Row> rows) {
        return fanout.submitTargets(targets(rows), Task.of("test \"$(cat .agent-id)\" = {{agent_id}} && echo ok"),
                RunOptions.defaults());
    }

    private static List<Target> targets(List<Row> rows) {
        return rows.stream()
                .map(row -> Target.of(row.host())
                        .withCredentials(Credentials.password(row.password()))
                        .withVar("agent_id", row.agentId()))
                .toList();
    }
}
