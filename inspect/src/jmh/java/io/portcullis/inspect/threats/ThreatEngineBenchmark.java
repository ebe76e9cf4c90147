package io.portcullis.inspect.threats;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the threat engine. {@code shortValues}: ops/s = string values/s (one thread = one core), values of
 * about 25 bytes, mostly ordinary API data with a share of quotes, URLs and payloads. {@code largeJson}: ops/s x
 * {@link #largeJsonBytes} = bytes/s over a ~4 MB vendor-style JSON body. Run with bench/threats-jmh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ThreatEngineBenchmark {
    static final int VALUES = 1024;
    private static final String[] SHORT = {
            "ch_3NxYz2LkdIwHu7ix0abc12", "Jenny Rosen-Müller, CEO", "O'Reilly Media, Inc. (US)", "succeeded",
            "2024-03-01T10:15:00.000Z", "+1 (555) 010-2233 ext 42", "https://api.example.com/v1", "Ben & Jerry's Ice Cream",
            "221B Baker Street, London", "Thanks, all good now! :)", "usd", "pi_3MtwBwLkdIwHu7ix28a3tqPa",
            "' OR '1'='1' --", "<img src=x onerror=alert(1)>", "Zürich, Schweiz 8001", "東京都千代田区千代田1-1",
            "SKU-1234-RED-XL / 2 pcs", "jenny.rosen@example.com", "invoice 2024-03 (final).pdf", "50% off -- today only"};
    public String[] values;
    public byte[] largeJson;
    /** Size of the large JSON body, printed at setup so bytes/s can be derived from ops/s. */
    public static int largeJsonBytes;
    public ThreatEngine engine;

    @Setup
    public void setup() {
        engine = new ThreatEngine();
        Random r = new Random(7);
        values = new String[VALUES];
        for (int i = 0; i < VALUES; i++) values[i] = SHORT[r.nextInt(SHORT.length)];
        StringBuilder b = new StringBuilder(4_300_000).append("{\"object\":\"list\",\"has_more\":true,\"data\":[");
        int i = 0;
        while (b.length() < 4_000_000) {
            if (i > 0) b.append(',');
            b.append("{\"id\":\"ch_3NxYz2LkdIwHu7ix").append(i).append("\",\"object\":\"charge\",\"amount\":").append(1000 + i % 9000)
                    .append(",\"currency\":\"usd\",\"captured\":true,\"created\":").append(1_700_000_000 + i)
                    .append(",\"billing_details\":{\"name\":\"").append(SHORT[i % 3 == 0 ? 1 : 5]).append("\",\"email\":\"jenny.rosen")
                    .append(i).append("@example.com\",\"address\":{\"line1\":\"").append(SHORT[8]).append("\",\"city\":\"London\",\"postal_code\":\"NW1 6XE\",\"country\":\"GB\"}}")
                    .append(",\"description\":\"Order #").append(i).append(" — ").append(SHORT[2 + (i % 2) * 7]).append("\"")
                    .append(",\"metadata\":{\"order_id\":\"").append(6735 + i).append("\",\"channel\":\"web\"},\"status\":\"succeeded\"")
                    .append(",\"receipt_url\":\"https://pay.example.com/receipts/acct_1032D82eZvKYlo2C/ch_").append(i).append("\"")
                    .append(",\"tags\":[\"vip\",\"eu\",\"repeat\"],\"refunded\":false,\"amount_refunded\":0,\"fraud\":null}");
            i++;
        }
        b.append("]}");
        largeJson = b.toString().getBytes(StandardCharsets.UTF_8);
        largeJsonBytes = largeJson.length;
        System.out.println("\nlargeJson body: " + largeJsonBytes + " bytes, " + i + " records");
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void shortValues(Blackhole bh) {
        for (String v : values) bh.consume(engine.scanValue(v, ValueContext.JSON_VALUE));
    }

    @Benchmark
    public ThreatReport largeJson() {
        return engine.scanJson(largeJson);
    }
}
