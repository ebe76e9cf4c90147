package io.portcullis.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventBusTest {

    static ExchangeEvent event(int i) {
        return ExchangeEvent.builder(Instant.EPOCH, "req-" + i, Direction.OUTBOUND).status(200).build();
    }

    /** Collects events; thread-safe so the test thread can read it. */
    static final class Recorder implements EventSink {
        final List<PortcullisEvent> events = Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;

        @Override
        public void accept(PortcullisEvent e) {
            events.add(e);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<SecurityEvent> overflowEvents() {
            synchronized (events) {
                return events.stream().filter(e -> e instanceof SecurityEvent s
                        && s.type().equals(SecurityEvent.EVENT_BUS_OVERFLOW)).map(SecurityEvent.class::cast).toList();
            }
        }
    }

    /** Blocks in accept until released. */
    static final class StalledSink implements EventSink {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void accept(PortcullisEvent e) throws InterruptedException {
            entered.countDown();
            release.await();
        }
    }

    static void awaitCondition(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void publishReturnsImmediatelyAndCountsDropsWhenASinkIsStalled() throws Exception {
        StalledSink stalled = new StalledSink();
        EventBus bus = EventBus.builder().capacity(8).sink(stalled).start();
        bus.publish(event(-1));
        stalled.entered.await(60, TimeUnit.SECONDS); // consumer is now stuck inside the sink
        CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
            int ok = 0;
            for (int i = 0; i < 10_000; i++) {
                if (bus.publish(event(i))) {
                    ok++;
                }
            }
            return ok;
        });
        // If publish blocked, this would never complete (the sink is stalled until we release it below).
        int ok = accepted.get(60, TimeUnit.SECONDS);
        assertThat(ok).isEqualTo(8);
        assertThat(bus.dropped().get(EventBus.DropReason.QUEUE_FULL)).isEqualTo(10_000 - 8);
        assertThat(bus.droppedTotal()).isEqualTo(10_000 - 8);
        assertThat(bus.queued()).isEqualTo(8);
        stalled.release.countDown();
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        assertThat(bus.delivered()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void overflowIsReportedAsASecurityEventToEverySink() throws Exception {
        StalledSink stalled = new StalledSink();
        Recorder recorder = new Recorder();
        EventBus bus = EventBus.builder().capacity(2).reportInterval(Duration.ofMillis(20))
                .sink(stalled).sink(recorder).start();
        bus.publish(event(0));
        stalled.entered.await(60, TimeUnit.SECONDS);
        for (int i = 1; i <= 50; i++) {
            bus.publish(event(i));
        }
        long dropped = bus.droppedTotal();
        assertThat(dropped).isEqualTo(48);
        stalled.release.countDown();
        awaitCondition(() -> !recorder.overflowEvents().isEmpty());
        SecurityEvent overflow = recorder.overflowEvents().getFirst();
        assertThat(overflow.severity()).isEqualTo(Severity.HIGH);
        assertThat(overflow.attributes()).containsEntry("dropped_since_last_report", "48")
                .containsEntry("dropped_queue_full", "48").containsEntry("capacity", "2");
        bus.close(Duration.ofSeconds(60));
        assertThat(recorder.overflowEvents()).hasSize(1); // reported once, not on every interval
    }

    @Test
    void aThrowingSinkIsCountedAndDoesNotStopOtherSinks() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        EventSink broken = new EventSink() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void accept(PortcullisEvent e) {
                calls.incrementAndGet();
                throw new IllegalStateException("sink failure for test");
            }
        };
        Recorder recorder = new Recorder();
        EventBus bus = EventBus.builder().sink(broken).sink(recorder).start();
        for (int i = 0; i < 100; i++) {
            assertThat(bus.publish(event(i))).isTrue();
        }
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        List<PortcullisEvent> exchanges = recorder.events.stream().filter(e -> e instanceof ExchangeEvent).toList();
        assertThat(exchanges).hasSize(100);
        List<PortcullisEvent> failures = recorder.events.stream().filter(e -> e instanceof SecurityEvent s
                && s.type().equals(SecurityEvent.EVENT_SINK_FAILED)).toList();
        assertThat(failures).isNotEmpty();
        assertThat(((SecurityEvent) failures.getLast()).attributes()).containsEntry("sink", "broken")
                .containsEntry("failures_total", "100");
        assertThat(calls.get()).isEqualTo(100); // still called after failing
        assertThat(bus.sinkFailures()).containsEntry("broken", 100L);
        assertThat(recorder.closed).isTrue();
    }

    @Test
    void closeDrainsQueuedEventsThenRejectsNewOnesAsClosed() throws Exception {
        Recorder recorder = new Recorder();
        StalledSink stalled = new StalledSink();
        EventBus bus = EventBus.builder().capacity(1000).sink(stalled).sink(recorder).start();
        for (int i = 0; i < 500; i++) {
            bus.publish(event(i));
        }
        stalled.release.countDown();
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        assertThat(recorder.events).hasSize(500);
        assertThat(recorder.closed).isTrue();
        assertThat(bus.publish(event(1))).isFalse();
        assertThat(bus.dropped().get(EventBus.DropReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void closeGivesUpAtTheDeadlineAndCountsWhatWasLeft() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        EventSink stuck = e -> {
            entered.countDown();
            while (true) {
                try {
                    never.await(); // ignores interrupts: a sink that will not give up
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
                if (never.getCount() == 0) {
                    return;
                }
            }
        };
        EventBus bus = EventBus.builder().capacity(100).sink(stuck).start();
        for (int i = 0; i < 11; i++) {
            bus.publish(event(i));
        }
        entered.await(60, TimeUnit.SECONDS);
        assertThat(bus.close(Duration.ofMillis(100))).isFalse();
        assertThat(bus.dropped().get(EventBus.DropReason.SHUTDOWN_DEADLINE)).isEqualTo(10);
        never.countDown();
    }

    @Test
    void manyProducersLoseNothingWhenCapacitySufficesAndKeepPerProducerOrder() throws Exception {
        Recorder recorder = new Recorder();
        EventBus bus = EventBus.builder().capacity(100_000).sink(recorder).start();
        int producers = 4;
        int each = 5_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    bus.publish(ExchangeEvent.builder(Instant.EPOCH, id + ":" + i, Direction.INBOUND).build());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        assertThat(bus.published()).isEqualTo(producers * each);
        assertThat(bus.droppedTotal()).isZero();
        int[] next = new int[producers];
        for (PortcullisEvent e : recorder.events) {
            String[] id = ((ExchangeEvent) e).requestId().split(":");
            int p = Integer.parseInt(id[0]);
            assertThat(Integer.parseInt(id[1])).isEqualTo(next[p]);
            next[p]++;
        }
        assertThat(next).containsOnly(each);
    }

    @Test
    void toStringOfEventsDoesNotLeakQueryOrAttributeValues() {
        ExchangeEvent e = ExchangeEvent.builder(Instant.EPOCH, "r", Direction.OUTBOUND)
                .query("api_key=planted-value-1&x=planted-value-2").attribute("authorization", "planted-value-3").build();
        SecurityEvent s = SecurityEvent.of("PIN_MISMATCH", Severity.HIGH, null, null, null, "m",
                Map.of("token", "planted-value-4"));
        assertThat(e.toString()).contains("api_key=REDACTED&x=REDACTED").doesNotContain("planted-value");
        assertThat(s.toString()).contains("token").doesNotContain("planted-value");
    }

    @Test
    void publishingNullIsCountedNotThrown() {
        EventBus bus = EventBus.builder().start();
        assertThat(bus.publish(null)).isFalse();
        assertThat(bus.dropped()).containsEntry(EventBus.DropReason.INVALID, 1L);
        bus.close();
    }

    @Test
    void idleSinksAreTickedForPeriodicFlushes() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        EventSink sink = new EventSink() {
            @Override
            public void accept(PortcullisEvent e) {
            }

            @Override
            public void tick() {
                ticks.incrementAndGet();
            }
        };
        EventBus bus = EventBus.builder().tickInterval(Duration.ofMillis(10)).sink(sink).start();
        awaitCondition(() -> ticks.get() >= 3);
        bus.close();
    }

    @Test
    void capacityOutsideLimitsIsRejectedWithAClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventBus.builder().capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and");
        assertThat(EventBus.builder().capacity(1).start().capacity()).isEqualTo(1);
    }

    @Test
    void securityEventTypesMustBeUpperSnake() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecurityEvent.of("pin mismatch", Severity.HIGH, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPPER_SNAKE_CASE");
        assertThat(SecurityEvent.of("PIN_MISMATCH", Severity.HIGH, "x").type()).isEqualTo("PIN_MISMATCH");
    }

    @Test
    void builderProducesAnImmutableEventWithSortedCollections() {
        ExchangeEvent.Builder b = ExchangeEvent.builder(Instant.EPOCH, "r1", Direction.OUTBOUND)
                .app("billing").vendor("stripe").api("charges").method("POST").path("/v1/charges")
                .status(201).addBytesIn(10).addBytesIn(5).dataClass("pii.email").dataClass("pci.pan")
                .decision(Decision.allow("allowlist")).attribute("b", "2").attribute("a", "1");
        ExchangeEvent e = b.build();
        assertThat(e.bytesIn()).isEqualTo(15);
        assertThat(e.dataClasses()).containsExactly("pci.pan", "pii.email");
        assertThat(e.attributes().keySet()).containsExactly("a", "b");
        assertThat(e.succeeded()).isTrue();
        b.decision(Decision.deny("rate-limit", "over"));
        assertThat(e.decisions()).hasSize(1); // later builder changes do not leak into built events
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.decisions().add(Decision.allow("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(Map.copyOf(e.attributes())).hasSize(2);
    }
}
