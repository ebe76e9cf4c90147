package io.portcullis.inspect.threats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Companion to the JMH benchmark for a shared, overloaded machine: measures the same two workloads in <em>thread CPU
 * time</em> (what one core spends), which other processes competing for the CPU do not inflate the way they inflate
 * wall-clock JMH scores. Best of 15 runs after warm-up. Run with {@code bench/threats-jmh --cpu}.
 */
public final class ThreatEngineCpuTimeRun {
    public static void main(String[] args) {
        ThreatEngineBenchmark b = new ThreatEngineBenchmark();
        b.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long bestJson = Long.MAX_VALUE, bestShort = Long.MAX_VALUE;
            for (int i = 0; i < 15; i++) {
                long t = mx.getCurrentThreadCpuTime();
                sink += b.engine.scanJson(b.largeJson).findings().size();
                bestJson = Math.min(bestJson, mx.getCurrentThreadCpuTime() - t);
                t = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < 200; k++) for (String v : b.values) sink += b.engine.scanValue(v, ValueContext.JSON_VALUE).findings().size();
                bestShort = Math.min(bestShort, mx.getCurrentThreadCpuTime() - t);
            }
            System.out.printf(Locale.ROOT, "round %d: largeJson %.0f MB/s per core, shortValues %.0f values/s per core%n", round + 1,
                    b.largeJson.length / (bestJson / 1e9) / 1e6, 200.0 * b.values.length / (bestShort / 1e9));
        }
        if (sink == 42) System.out.println();
    }
}
