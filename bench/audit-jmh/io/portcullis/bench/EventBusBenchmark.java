package io.portcullis.bench;

import io.portcullis.core.audit.AuditLogSink;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.Direction;
import io.portcullis.core.event.EventBus;
import io.portcullis.core.event.EventSink;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.PortcullisEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hot-path cost of the event model and bus as the data plane sees it, and the audit sink's sustained rate on the
 * consumer thread. Run with bench/audit-bench.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventBusBenchmark {

    static ExchangeEvent sample(long i) {
        return ExchangeEvent.builder(Instant.now(), "req-" + i, Direction.OUTBOUND)
                .app("billing").vendor("stripe").api("charges").method("POST").path("/v1/charges")
                .query("customer=cus_123&limit=10").host("api.stripe.com").status(200).durationNanos(1_250_000)
                .bytesIn(512).bytesOut(2048).protocol("HTTP/1.1").clientAddress("10.0.0.7").authScheme("bearer")
                .decision(Decision.allow("allowlist")).decision(Decision.allow("rate-limit")).build();
    }

    /** A bus with a no-op sink: measures publish itself (offer + counters), with drops when the consumer lags. */
    @State(Scope.Benchmark)
    public static class BusState {
        EventBus bus;
        ExchangeEvent event = sample(1);

        @Setup(Level.Trial)
        public void setUp() {
            EventSink noop = new EventSink() {
                @Override
                public void accept(PortcullisEvent e) {
                }
            };
            bus = EventBus.builder().capacity(65_536).sink(noop).start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bus.close(Duration.ofSeconds(10));
            System.out.println("\n[bus] published=" + bus.published() + " dropped=" + bus.dropped());
        }
    }

    /** The audit sink fed directly, as the consumer thread does. */
    @State(Scope.Thread)
    public static class SinkState {
        AuditLogSink sink;
        Path dir;
        long i;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("audit-bench");
            sink = new AuditLogSink(AuditLogSink.Options.defaults(dir.resolve("audit.jsonl"))
                    .withMaxFileBytes(64L << 20).withKeepFiles(2));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            sink.close();
            try (var s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    @Benchmark
    public ExchangeEvent buildExchangeEvent() {
        return sample(42);
    }

    @Benchmark
    public boolean publish(BusState s) {
        return s.bus.publish(s.event);
    }

    @Benchmark
    public void auditSinkAccept(SinkState s) throws Exception {
        s.sink.accept(sample(s.i++));
    }
}
