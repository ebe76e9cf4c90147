package io.portcullis.gateway;

import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.snapshot.GatewaySnapshot;
import io.portcullis.gateway.upstream.UpstreamPool;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The long-lived parts the data plane shares across snapshots: the current snapshot (swapped
 * atomically on reload), the upstream pool, metrics and the event sink.
 */
public final class GatewayRuntime {
    private final AtomicReference<GatewaySnapshot> snapshot;
    private final UpstreamPool pool;
    private final GatewayMetrics metrics;
    private final GatewayEvents events;

    public GatewayRuntime(GatewaySnapshot initial, UpstreamPool pool, GatewayMetrics metrics, GatewayEvents events) {
        this.snapshot = new AtomicReference<>(initial);
        this.pool = pool;
        this.metrics = metrics;
        this.events = events;
    }

    public GatewaySnapshot snapshot() {
        return snapshot.get();
    }

    /** Swaps in a new snapshot; exchanges already running keep the one they started with. */
    public void swap(GatewaySnapshot next) {
        snapshot.set(next);
    }

    public UpstreamPool pool() {
        return pool;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public GatewayEvents events() {
        return events;
    }
}
