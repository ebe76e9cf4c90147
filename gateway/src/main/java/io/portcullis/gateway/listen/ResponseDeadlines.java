package io.portcullis.gateway.listen;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * Response deadlines of the exchanges on one event loop. Arming and disarming one is a link in a list, not a
 * timer per request (Netty's scheduled tasks sit in a priority queue: an insert, a removal and a task object on
 * every request); one sweep every {@value #SWEEP_MILLIS} ms expires what is due, so a deadline fires at most
 * that much late and never early. Confined to its event loop thread.
 */
final class ResponseDeadlines {
    static final long SWEEP_MILLIS = 25;

    private static final FastThreadLocal<ResponseDeadlines> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected ResponseDeadlines initialValue() {
            return new ResponseDeadlines();
        }
    };

    /** One armed deadline; {@link #disarm()} it when the response starts or the exchange ends. */
    static final class Deadline {
        private final ResponseDeadlines owner;
        private final long dueNanos;
        private final Runnable onExpiry;
        private Deadline prev;
        private Deadline next;
        private boolean armed = true;

        private Deadline(ResponseDeadlines owner, long dueNanos, Runnable onExpiry) {
            this.owner = owner;
            this.dueNanos = dueNanos;
            this.onExpiry = onExpiry;
        }

        void disarm() {
            if (armed) owner.unlink(this);
        }
    }

    private Deadline head;
    private Deadline tail;
    private boolean sweeping;

    /** The deadlines of the calling event loop thread. */
    static ResponseDeadlines current() {
        return PER_LOOP.get();
    }

    /** Runs {@code onExpiry} on {@code loop} once {@code timeoutMillis} have passed, unless disarmed first. */
    Deadline arm(EventExecutor loop, long timeoutMillis, Runnable onExpiry) {
        var d = new Deadline(this, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), onExpiry);
        if (tail == null) {
            head = tail = d;
        } else {
            tail.next = d;
            d.prev = tail;
            tail = d;
        }
        if (!sweeping) {
            sweeping = true;
            loop.schedule(() -> sweep(loop), SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        return d;
    }

    private void unlink(Deadline d) {
        d.armed = false;
        if (d.prev != null) d.prev.next = d.next;
        else head = d.next;
        if (d.next != null) d.next.prev = d.prev;
        else tail = d.prev;
        d.prev = d.next = null;
    }

    private void sweep(EventExecutor loop) {
        long now = System.nanoTime();
        Deadline d = head;
        while (d != null) {
            Deadline next = d.next;
            if (now - d.dueNanos >= 0) {
                unlink(d);
                try {
                    d.onExpiry.run();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(ResponseDeadlines.class).warn("response deadline handler failed: {}", e.toString());
                }
            }
            d = next;
        }
        if (head == null) sweeping = false;
        else loop.schedule(() -> sweep(loop), SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Armed deadlines (for tests). */
    int size() {
        int n = 0;
        for (Deadline d = head; d != null; d = d.next) n++;
        return n;
    }
}
