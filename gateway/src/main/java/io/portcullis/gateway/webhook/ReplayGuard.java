package io.portcullis.gateway.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers accepted webhook event ids or signatures for a fixed window so a second delivery of the
 * same request is refused.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><b>Bounded in size and time:</b> at most {@code capacity} entries; an entry is forgotten
 *       {@code window} after it was recorded (by the injected clock).</li>
 *   <li><b>O(1):</b> {@link #firstSighting} and {@link #forget} are a hash lookup plus removal of
 *       expired entries from the head of an insertion-ordered list; every entry is removed at most
 *       once, so the expiry sweep is amortised O(1).</li>
 *   <li><b>Thread-safe and atomic:</b> check-and-record happens under one lock, so of two concurrent
 *       deliveries of the same key exactly one is accepted. The critical section does no I/O.</li>
 * </ul>
 *
 * <p><b>Eviction.</b> Entries expire in insertion order (all share one window). When the store is full
 * and the oldest entry has not yet expired, that oldest entry is evicted early to make room and
 * {@link Stats#evictedBeforeExpiry()} is incremented: a replay of that evicted request would then be
 * accepted if it is still within its timestamp window. The store only records requests that already
 * passed signature verification, so an attacker without a secret cannot fill it; size the capacity to
 * at least peak accepted rate times window, and alert on {@code evictedBeforeExpiry > 0}. If the clock
 * steps backwards, entries simply live longer (never shorter) than the window.
 */
public final class ReplayGuard {

    /** A snapshot of the store's counters. */
    public record Stats(int size, long recorded, long replaysRefused, long evictedBeforeExpiry) {}

    private final long windowMillis;
    private final int capacity;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** key -> expiry (epoch millis); insertion order equals expiry order for a monotonic clock. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(64);
    private long recorded;
    private long replaysRefused;
    private long evictedBeforeExpiry;

    public ReplayGuard(Duration window, int capacity, Clock clock) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("replay window must be positive");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("replay capacity must be at least 1");
        }
        this.windowMillis = window.toMillis();
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records {@code key} and returns true if it was not seen within the window; returns false (and
     * records nothing new) if it is a replay.
     */
    public boolean firstSighting(String key) {
        Objects.requireNonNull(key, "key");
        long now = clock.millis();
        lock.lock();
        try {
            sweepExpired(now);
            Long expiry = entries.get(key);
            if (expiry != null) {
                if (expiry > now) {
                    replaysRefused++;
                    return false;
                }
                entries.remove(key); // expired but not at the head (clock stepped back): re-insert at the tail
            }
            if (entries.size() >= capacity) {
                Iterator<Map.Entry<String, Long>> oldest = entries.entrySet().iterator();
                oldest.next();
                oldest.remove();
                evictedBeforeExpiry++;
            }
            entries.put(key, now + windowMillis);
            recorded++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code key}, so the next delivery with it is accepted (used when forwarding failed). */
    public void forget(String key) {
        lock.lock();
        try {
            entries.remove(key);
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(entries.size(), recorded, replaysRefused, evictedBeforeExpiry);
        } finally {
            lock.unlock();
        }
    }

    private void sweepExpired(long now) {
        Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() > now) {
                return;
            }
            it.remove();
        }
    }
}
