package io.portcullis.gateway.upstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one upstream: {@code failures} consecutive failures open it; while open, calls
 * fail fast; after {@code openFor} exactly one call is let through as a half-open probe, whose success
 * closes the circuit and whose failure opens it again. Thread-safe and lock-free.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Notified on every state change (metrics, events). */
    public interface Listener {
        void onStateChange(CircuitBreaker breaker, State from, State to);
    }

    private final String name;
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier clock;
    private final Listener listener;
    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openedAt = new AtomicLong();

    public CircuitBreaker(String name, int threshold, Duration openFor, LongSupplier nanoClock, Listener listener) {
        this.name = name;
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.clock = nanoClock;
        this.listener = listener;
    }

    public String name() {
        return name;
    }

    public State state() {
        return state.get();
    }

    /** True if a call may go ahead now; when half-open, only the first caller after the wait gets true. */
    public boolean tryAcquire() {
        State s = state.get();
        if (s == State.CLOSED) return true;
        if (s == State.OPEN && clock.getAsLong() - openedAt.get() >= openForNanos) {
            if (state.compareAndSet(State.OPEN, State.HALF_OPEN)) {
                listener.onStateChange(this, State.OPEN, State.HALF_OPEN);
                return true;
            }
        }
        return false;
    }

    /** Nanoseconds until a probe will be allowed (0 when closed). */
    public long nanosUntilProbe() {
        if (state.get() == State.CLOSED) return 0;
        return Math.max(0, openForNanos - (clock.getAsLong() - openedAt.get()));
    }

    public void onSuccess() {
        consecutiveFailures.set(0);
        State s = state.get();
        if (s != State.CLOSED && state.compareAndSet(s, State.CLOSED)) listener.onStateChange(this, s, State.CLOSED);
    }

    public void onFailure() {
        int n = consecutiveFailures.incrementAndGet();
        State s = state.get();
        if (s == State.HALF_OPEN || (s == State.CLOSED && n >= threshold)) {
            if (state.compareAndSet(s, State.OPEN)) {
                openedAt.set(clock.getAsLong());
                listener.onStateChange(this, s, State.OPEN);
            }
        }
    }
}
