package io.portcullis.core.event;

/**
 * A consumer of events, registered with an {@link EventBus}. All methods are called from the bus's single consumer
 * thread, never concurrently, so implementations need no locking for their own state.
 *
 * <p>A sink may be slow (disk, network) without slowing the data plane: while it is busy, the bus's queue absorbs
 * bursts and then drops (counted). A sink that throws is isolated: the bus counts the failure, logs it at most once
 * per report interval, and keeps delivering the next events to it and to the other sinks.
 */
public interface EventSink extends AutoCloseable {

    /** A short name for logs and counters, e.g. {@code "audit"}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Handles one event. May throw; the bus isolates the failure. */
    void accept(PortcullisEvent event) throws Exception;

    /**
     * Called by the consumer thread at least every tick interval, also when no events arrive; a place for periodic
     * flushes. Default: nothing.
     */
    default void tick() throws Exception {
    }

    /** Called once by the consumer thread after the queue has been drained at shutdown. Flush and release here. */
    @Override
    default void close() throws Exception {
    }
}
