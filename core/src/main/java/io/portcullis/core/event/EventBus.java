package io.portcullis.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, multi-producer, single-consumer queue of {@link PortcullisEvent}s that fans out to {@link EventSink}s.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>{@link #publish} never blocks and never throws.</b> It is one {@code ArrayBlockingQueue.offer} plus a
 *       {@code LongAdder} increment; safe to call from Netty event-loop threads. It does not wake the consumer
 *       per event: while events flow the consumer drains in batches about every {@value #BUSY_PARK_MICROS} µs,
 *       so a busy gateway pays no thread hand-off per request; a producer wakes it only when it sleeps longer
 *       (idle) or the queue passes an eighth of its capacity.</li>
 *   <li><b>Overflow is never silent.</b> When the queue is full the event is dropped and counted by
 *       {@link DropReason}; {@link #dropped()} exposes the counters (for metrics), and at most once per report
 *       interval the consumer logs a warning and delivers a {@link SecurityEvent#EVENT_BUS_OVERFLOW} event directly
 *       to every sink (bypassing the full queue) with the number dropped since the last report.</li>
 *   <li><b>Sinks are isolated.</b> Each event goes to every sink in registration order on one consumer thread; a
 *       sink that throws is counted ({@link #sinkFailures()}), logged at most once per report interval, and still
 *       receives later events; at most once per report interval the other sinks receive a
 *       {@link SecurityEvent#EVENT_SINK_FAILED} event (so a failing metrics sink shows up in the audit trail, and a
 *       failing audit sink in the others). A slow sink slows only the consumer; producers are unaffected (they drop
 *       once the queue is full).</li>
 *   <li><b>Order.</b> Events from one producer thread reach each sink in publish order.</li>
 *   <li><b>Shutdown.</b> {@link #close(Duration)} stops accepting events (later publishes are counted as
 *       {@link DropReason#CLOSED}), drains what is queued to the sinks, then closes the sinks, all within the
 *       deadline; events still queued when the deadline passes are counted as {@link DropReason#SHUTDOWN_DEADLINE}.</li>
 * </ul>
 *
 * <p>Build with {@link #builder()}:
 * <pre>{@code
 * EventBus bus = EventBus.builder().capacity(65_536).sink(auditSink).start();
 * bus.publish(exchangeEvent);            // from any thread; false if dropped
 * bus.dropped();                         // {QUEUE_FULL=0, CLOSED=0, ...}
 * bus.close(Duration.ofSeconds(5));      // drain, flush sinks, stop
 * }</pre>
 */
public final class EventBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final int BATCH = 256;
    /** Pause between drains while events keep coming (their delivery latency is at most about this). */
    static final long BUSY_PARK_MICROS = 1000;
    /** Empty drains in a row after which the consumer sleeps until woken or the tick. */
    private static final int IDLE_ROUNDS = 64;

    /** Why an event was not delivered. */
    public enum DropReason {
        /** The queue was at capacity (consumer or a sink too slow for the offered load). */
        QUEUE_FULL,
        /** Published after {@link #close} began. */
        CLOSED,
        /** Still queued when the shutdown deadline passed. */
        SHUTDOWN_DEADLINE,
        /** {@code publish(null)}. */
        INVALID
    }

    /** Offered by close() to wake the consumer; never delivered. */
    private static final SecurityEvent WAKE = new SecurityEvent(Instant.EPOCH, "EVENT_BUS_WAKE", Severity.INFO,
            null, null, null, "", Map.of());

    private final ArrayBlockingQueue<PortcullisEvent> queue;
    private final int capacity;
    private final long tickNanos;
    private final long reportNanos;
    private final CopyOnWriteArrayList<SinkSlot> sinks = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final AtomicLong delivered = new AtomicLong();
    private final LongAdder[] dropped = new LongAdder[DropReason.values().length];
    private final Thread consumer;
    private volatile boolean closing;
    private volatile boolean abandoned;
    private volatile boolean terminated;
    /** The consumer is in its long (idle) sleep: the next publish wakes it. */
    private volatile boolean idleSleep;
    private final int wakeAt;
    private long reportedDrops;
    private long lastReportNanos;

    private EventBus(Builder b) {
        this.capacity = b.capacity;
        this.queue = new ArrayBlockingQueue<>(b.capacity);
        this.wakeAt = Math.max(1, b.capacity / 8);
        this.tickNanos = b.tickInterval.toNanos();
        this.reportNanos = b.reportInterval.toNanos();
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
        for (EventSink s : b.sinks) {
            sinks.add(new SinkSlot(s));
        }
        Thread.Builder tb = b.virtualThread ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
        this.consumer = tb.name(b.threadName).unstarted(this::consume);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Offers an event. Never blocks, never throws.
     *
     * @return true if queued, false if dropped (and counted under a {@link DropReason})
     */
    public boolean publish(PortcullisEvent event) {
        if (event == null) {
            dropped[DropReason.INVALID.ordinal()].increment();
            return false;
        }
        if (closing) {
            dropped[DropReason.CLOSED.ordinal()].increment();
            return false;
        }
        if (!queue.offer(event)) {
            dropped[DropReason.QUEUE_FULL.ordinal()].increment();
            return false;
        }
        published.increment();
        // size() takes the queue's lock, so only small queues look: a large one cannot fill an eighth in one pause
        if (idleSleep || (wakeAt < 2048 && queue.size() >= wakeAt)) LockSupport.unpark(consumer);
        if (terminated && queue.remove(event)) {
            // Raced with shutdown after the consumer's final drain: it will never be delivered.
            dropped[DropReason.CLOSED.ordinal()].increment();
            return false;
        }
        return true;
    }

    /** Adds a sink; it receives events consumed from now on. Safe to call from any thread. */
    public void register(EventSink sink) {
        sinks.add(new SinkSlot(Objects.requireNonNull(sink, "sink")));
    }

    /** Events accepted into the queue. */
    public long published() {
        return published.sum();
    }

    /** Events taken off the queue and handed to all sinks (whether or not a sink failed on them). */
    public long delivered() {
        return delivered.get();
    }

    /** A snapshot of drop counters by reason (every reason present, zero if none). */
    public Map<DropReason, Long> dropped() {
        EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, dropped[r.ordinal()].sum());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Total events dropped for any reason. */
    public long droppedTotal() {
        long t = 0;
        for (LongAdder a : dropped) {
            t += a.sum();
        }
        return t;
    }

    /** Failures (exceptions thrown by accept/tick/close) per sink name, in registration order. */
    public Map<String, Long> sinkFailures() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (SinkSlot s : sinks) {
            m.merge(s.name, s.failures.get(), Long::sum);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Events currently waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Closes with a 5 second deadline. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops accepting events, drains the queue to the sinks and closes them, waiting at most {@code deadline}.
     * Idempotent.
     *
     * @return true if everything queued was delivered and the sinks were closed within the deadline
     */
    public boolean close(Duration deadline) {
        closing = true;
        if (Thread.currentThread() == consumer) {
            return false; // called from a sink: the consumer drains and stops by itself after this event
        }
        if (!consumer.isAlive()) {
            if (consumer.getState() == Thread.State.NEW) {
                // Never started: nothing consumed; close the sinks here.
                countLeftovers(DropReason.CLOSED);
                for (SinkSlot s : sinks) {
                    s.close();
                }
                terminated = true;
            }
            return queue.isEmpty();
        }
        queue.offer(WAKE); // wake the consumer without interrupting (sinks may do interruptible I/O); if full, it is busy
        LockSupport.unpark(consumer);
        try {
            consumer.join(Math.max(1, deadline.toMillis()));
            if (consumer.isAlive()) {
                abandoned = true;
                consumer.interrupt();
                consumer.join(Math.min(1000, Math.max(1, deadline.toMillis())));
                LOG.warn("event bus: shutdown deadline {} passed; {} events abandoned", deadline, queue.size());
                countLeftovers(DropReason.SHUTDOWN_DEADLINE);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        countLeftovers(DropReason.CLOSED); // a publish that raced with the final drain
        return true;
    }

    private void countLeftovers(DropReason reason) {
        int n = 0;
        PortcullisEvent e;
        while ((e = queue.poll()) != null) {
            if (e != WAKE) {
                n++;
            }
        }
        if (n > 0) {
            dropped[reason.ordinal()].add(n);
        }
    }

    EventBus startConsumer() {
        lastReportNanos = System.nanoTime();
        consumer.start();
        return this;
    }

    private void consume() {
        List<PortcullisEvent> batch = new ArrayList<>(BATCH);
        long lastTick = System.nanoTime();
        int idleRounds = 0;
        try {
            while (!abandoned) {
                PortcullisEvent first = null;
                if (!closing) {
                    first = queue.poll();
                    if (first == null) {
                        // no hand-off per event: pause briefly while traffic flows, sleep until woken when idle
                        if (++idleRounds < IDLE_ROUNDS) {
                            LockSupport.parkNanos(this, BUSY_PARK_MICROS * 1000);
                        } else {
                            idleSleep = true;
                            if (queue.isEmpty() && !closing) LockSupport.parkNanos(this, tickNanos);
                            idleSleep = false;
                        }
                        first = queue.poll();
                    }
                    if (first != null) idleRounds = 0;
                } else {
                    first = queue.poll();
                    if (first == null) {
                        break; // closing and drained
                    }
                }
                if (first != null) {
                    deliver(first);
                    queue.drainTo(batch, BATCH - 1);
                    int i = 0;
                    for (; i < batch.size() && !abandoned; i++) {
                        deliver(batch.get(i));
                    }
                    for (; i < batch.size(); i++) {
                        if (batch.get(i) != WAKE) {
                            dropped[DropReason.SHUTDOWN_DEADLINE.ordinal()].increment();
                        }
                    }
                    batch.clear();
                }
                long now = System.nanoTime();
                if (now - lastTick >= tickNanos) {
                    lastTick = now;
                    for (SinkSlot s : sinks) {
                        s.tick();
                    }
                }
                if (now - lastReportNanos >= reportNanos) {
                    report(now);
                }
            }
        } catch (Throwable t) {
            LOG.error("event bus consumer stopped unexpectedly: {}", t.toString());
        } finally {
            if (!abandoned) {
                report(System.nanoTime());
            }
            Thread.interrupted(); // clear, so sinks can do blocking I/O in close()
            for (SinkSlot s : sinks) {
                s.close();
            }
            terminated = true;
        }
    }

    private void deliver(PortcullisEvent e) {
        if (e == WAKE) {
            return;
        }
        for (SinkSlot s : sinks) {
            s.accept(e);
        }
        delivered.incrementAndGet();
    }

    /** Runs on the consumer thread: reports sink failures and drops since the last report, if any. */
    private void report(long now) {
        lastReportNanos = now;
        for (SinkSlot failing : sinks) {
            long f = failing.failures.get();
            long delta = f - failing.reportedFailures;
            if (delta > 0) {
                failing.reportedFailures = f;
                SecurityEvent failed = new SecurityEvent(Instant.now(), SecurityEvent.EVENT_SINK_FAILED, Severity.HIGH,
                        null, null, null, "event sink '" + failing.name + "' failed " + delta + " times",
                        Map.of("sink", failing.name, "failures_since_last_report", Long.toString(delta),
                                "failures_total", Long.toString(f)));
                for (SinkSlot other : sinks) {
                    if (other != failing) {
                        other.accept(failed); // not to the failing sink itself: it would likely fail again
                    }
                }
            }
        }
        long total = droppedTotal();
        long delta = total - reportedDrops;
        if (delta <= 0) {
            return;
        }
        reportedDrops = total;
        Map<DropReason, Long> byReason = dropped();
        LOG.warn("event bus dropped {} events since last report (totals {}; capacity {}, queued {})",
                delta, byReason, capacity, queue.size());
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("dropped_since_last_report", Long.toString(delta));
        attrs.put("dropped_total", Long.toString(total));
        byReason.forEach((r, n) -> attrs.put("dropped_" + r.name().toLowerCase(java.util.Locale.ROOT), Long.toString(n)));
        attrs.put("capacity", Integer.toString(capacity));
        SecurityEvent overflow = new SecurityEvent(Instant.now(), SecurityEvent.EVENT_BUS_OVERFLOW, Severity.HIGH,
                null, null, null, "event bus dropped " + delta + " events; audit trail has a gap", attrs);
        deliver(overflow);
    }

    private final class SinkSlot {
        final EventSink sink;
        final String name;
        final AtomicLong failures = new AtomicLong();
        long reportedFailures;
        long lastLogNanos = System.nanoTime() - reportNanos;
        long unlogged;

        SinkSlot(EventSink sink) {
            this.sink = sink;
            String n;
            try {
                n = sink.name();
            } catch (RuntimeException e) {
                n = sink.getClass().getName();
            }
            this.name = n == null ? sink.getClass().getName() : n;
        }

        void accept(PortcullisEvent e) {
            try {
                sink.accept(e);
            } catch (Throwable t) {
                failed("accept", t);
            }
        }

        void tick() {
            try {
                sink.tick();
            } catch (Throwable t) {
                failed("tick", t);
            }
        }

        void close() {
            try {
                sink.close();
            } catch (Throwable t) {
                failed("close", t);
            }
        }

        private void failed(String phase, Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            failures.incrementAndGet();
            unlogged++;
            long now = System.nanoTime();
            if (now - lastLogNanos >= reportNanos || phase.equals("close")) {
                LOG.warn("event sink '{}' failed in {} ({} failures since last log, {} total): {}",
                        name, phase, unlogged, failures.get(), t.toString());
                lastLogNanos = now;
                unlogged = 0;
            }
        }
    }

    /** Configures and starts an {@link EventBus}. */
    public static final class Builder {
        private int capacity = 65_536;
        private Duration tickInterval = Duration.ofMillis(200);
        private Duration reportInterval = Duration.ofSeconds(10);
        private String threadName = "portcullis-event-bus";
        private boolean virtualThread;
        private final List<EventSink> sinks = new ArrayList<>();

        private Builder() {
        }

        /** Maximum queued events (default 65 536). Must be 1..16 777 216. */
        public Builder capacity(int capacity) {
            if (capacity < 1 || capacity > (1 << 24)) {
                throw new IllegalArgumentException("event bus capacity must be between 1 and 16777216, got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** How often sinks get {@link EventSink#tick()} even when idle (default 200 ms). */
        public Builder tickInterval(Duration d) {
            this.tickInterval = positive(d, "tickInterval");
            return this;
        }

        /** How often drops are reported and sink failures logged, at most (default 10 s). */
        public Builder reportInterval(Duration d) {
            this.reportInterval = positive(d, "reportInterval");
            return this;
        }

        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Run the consumer on a virtual thread instead of a dedicated daemon platform thread (the default). */
        public Builder virtualThread(boolean virtual) {
            this.virtualThread = virtual;
            return this;
        }

        public Builder sink(EventSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Builds the bus and starts its consumer thread. */
        public EventBus start() {
            return new EventBus(this).startConsumer();
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
