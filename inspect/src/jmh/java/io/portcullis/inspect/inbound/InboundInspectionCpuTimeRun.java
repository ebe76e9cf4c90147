package io.portcullis.inspect.inbound;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Companion to {@link InboundInspectionBenchmark} for a shared, overloaded machine: the same workloads measured in
 * <em>thread CPU time</em> (what one core spends on them), which competing processes do not inflate the way they
 * inflate wall-clock scores. Workloads are interleaved; each reports the best of 15 batches of 500 responses, per
 * round. Run with {@code bench/inbound-jmh --cpu}.
 */
public final class InboundInspectionCpuTimeRun {
    public static void main(String[] args) throws Exception {
        var b = new InboundInspectionBenchmark();
        b.setup();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Map<String, Runnable> work = new LinkedHashMap<>();
        work.put("separate", () -> b.separate(bh));
        work.put("singlePass", () -> b.singlePass(bh));
        work.put("limitsOnly", () -> b.limitsOnly(bh));
        work.put("threatsOnly", () -> b.threatsOnly(bh));
        work.put("schemaOnly", () -> b.schemaOnly(bh));
        work.put("schemaValidateTreeOnly", () -> b.schemaValidateTreeOnly(bh));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final int batch = 500;
        for (int w = 0; w < 4; w++) for (Runnable r : work.values()) for (int i = 0; i < batch; i++) r.run();
        for (int round = 0; round < 3; round++) {
            var best = new LinkedHashMap<String, Long>();
            for (int i = 0; i < 15; i++) {
                for (var e : work.entrySet()) {
                    long t = mx.getCurrentThreadCpuTime();
                    for (int k = 0; k < batch; k++) e.getValue().run();
                    best.merge(e.getKey(), mx.getCurrentThreadCpuTime() - t, Math::min);
                }
            }
            var sb = new StringBuilder("round " + (round + 1) + ":");
            best.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.0f", k, batch / (v / 1e9))));
            System.out.println(sb.append("  (responses per CPU-second)"));
        }
    }
}
