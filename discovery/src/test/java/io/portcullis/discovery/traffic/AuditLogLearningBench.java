package io.portcullis.discovery.traffic;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Learning throughput and memory from audit logs. Run through {@code bench/discovery.sh}.
 * <ul>
 *   <li>{@code throughput LINES ROUNDS}: pre-renders LINES audit-log lines over 5,000 operations into memory, then
 *       reads and learns them ROUNDS times (parse + learn, single thread), printing requests per second per round.</li>
 *   <li>{@code heap REQUESTS HOSTS}: streams REQUESTS generated lines over {@code HOSTS × 100} operations through
 *       reader and learner (generation included in the time), printing heap used after GC every 10%.</li>
 * </ul>
 */
public final class AuditLogLearningBench {
    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "throughput";
        if (mode.equals("heap")) heap(Long.parseLong(args[1]), Integer.parseInt(args[2]));
        else throughput(Integer.parseInt(args.length > 1 ? args[1] : "500000"), Integer.parseInt(args.length > 2 ? args[2] : "5"));
    }

    static void throughput(int lines, int rounds) throws IOException {
        SyntheticAuditLog gen = new SyntheticAuditLog(42, 50, lines);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(lines * 600);
        gen.transferTo(buf);
        byte[] log = buf.toByteArray();
        System.out.printf("audit log: %d lines, %.1f MB, %d operations%n", lines, log.length / 1e6, gen.operations());
        for (int r = 0; r < rounds; r++) {
            TrafficLearner learner = new TrafficLearner();
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ReadResult res = new AuditLogReader().read(new ByteArrayInputStream(log), learner::observe);
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            InventorySnapshot snap = learner.snapshot();
            double secs = (t1 - t0) / 1e9;
            double cpu = (c1 - c0) / 1e9;
            System.out.printf("round %d: %,d requests; wall %.2f s = %,.0f req/s; thread CPU %.2f s = %,.0f req/s per core (%.0f MB/s); %d operations learned, %d skipped%n",
                    r + 1, res.requests(), secs, res.requests() / secs, cpu, res.requests() / cpu, log.length / 1e6 / cpu,
                    snap.operations().size(), res.skipped());
        }
    }

    static void heap(long requests, int hosts) throws IOException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        TrafficLearner learner = new TrafficLearner();
        long step = Math.max(1, requests / 10);
        long t0 = System.nanoTime();
        long done = 0;
        System.out.printf("heap: %,d requests over %,d operations, max heap %d MB%n", requests, hosts * 100,
                Runtime.getRuntime().maxMemory() >> 20);
        while (done < requests) {
            long n = Math.min(step, requests - done);
            new AuditLogReader().read(new SyntheticAuditLog(done + 7, hosts, n), learner::observe);
            done += n;
            System.gc();
            System.out.printf("  %,12d requests: heap used after GC %,d MB%n", done, mem.getHeapMemoryUsage().getUsed() >> 20);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        InventorySnapshot snap = learner.snapshot();
        System.gc();
        System.out.printf("done: %,d requests in %.1f s (%,.0f/s incl. generation), %d operations learned, collapsed hosts %d, heap after snapshot %,d MB%n",
                learner.requests(), secs, learner.requests() / secs, snap.operations().size(), snap.collapsedHosts().size(),
                mem.getHeapMemoryUsage().getUsed() >> 20);
    }
}
