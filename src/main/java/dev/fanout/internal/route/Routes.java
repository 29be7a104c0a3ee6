package dev.fanout.internal.route;

import dev.fanout.Host;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import java.util.List;

/** The connect request for each host. Thread-safe. */
public interface Routes {

    /**
     * Works out, before a run contacts any host, whatever the requests of these hosts need.
     *
     * @throws IllegalArgumentException when a host cannot be reached as configured, naming it and the cause
     */
    default void prepare(List<Host> hosts) {
    }

    /**
     * The request to connect to a host, with the base time limits (a run caps them by its deadlines).
     *
     * @throws IllegalArgumentException when the host cannot be reached as configured, naming it and the cause
     */
    ConnectRequest request(Host host, Cancellation cancellation);

    /**
     * The bastions (jump hosts) a host is reached through, in the order they are visited, the last one connecting
     * to the host; none for a host reached directly. The first one's own bastions are its own business (asked of
     * it in turn, as a bastion); each later one is reached through the one before it.
     *
     * @param asBastion whether the host is asked about as another host's bastion: the bastions given for every host
     *     of a run ({@code -J}) are not a bastion's own
     * @throws IllegalArgumentException when a host's jump hosts cannot be worked out, naming it and the cause
     */
    default List<Host> jumpHosts(Host host, boolean asBastion) {
        return List.of();
    }
}
