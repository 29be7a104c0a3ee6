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
}
