package dev.fanout.internal.events;

import jdk.jfr.FlightRecorder;

/**
 * Whether fanout's events are worth creating: only once the JDK Flight Recorder has started in this JVM (at launch
 * with {@code -XX:StartFlightRecording}, by {@code jcmd JFR.start} or through {@code jdk.jfr}). The first use of an
 * event class registers it with the recorder, which builds its metadata from the annotations: about 50 ms of CPU on
 * the first host of a run on JDK 25 (async-profiler, one-host run), for events no one records. A recording started
 * while a run is under way gets the events of what begins after it.
 */
public final class FlightRecording {

    private FlightRecording() {
    }

    /** True once a flight recording was started in this JVM. */
    public static boolean started() {
        return FlightRecorder.isInitialized();
    }
}
