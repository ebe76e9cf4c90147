package io.portcullis.discovery.diff;

import io.portcullis.discovery.har.HarReader;
import io.portcullis.discovery.har.HarTrafficGenerator;
import io.portcullis.discovery.har.HarTrafficGenerator.TruthOperation;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.LearnedOperation;
import io.portcullis.discovery.traffic.PathTemplate;
import io.portcullis.discovery.traffic.TrafficLearner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Measures discovery quality on generated traffic: operation-level precision/recall/F1 of learned templates
 * (parameter names ignored), split by requests per operation, and shadow/zombie precision/recall with a share of the
 * spec's operations held out of the catalog. Ground truth comes from the spec (paths, {@code deprecated}, the
 * hand-written {@code x-superseded-by}) and the generator's counts, never from the learner.
 *
 * <p>Run: {@code bench/discovery-quality [SEED]}.
 */
public final class DiscoveryQuality {
    static final String[] BUCKETS = {"1", "2", "3-9", "10-99", "100+"};

    static int bucket(long requests) {
        return requests <= 1 ? 0 : requests == 2 ? 1 : requests < 10 ? 2 : requests < 100 ? 3 : 4;
    }

    /** Counts for one spec (or the total). */
    public static final class Score {
        final long[] tp = new long[5], fn = new long[5], fp = new long[5];
        long shadowTp, shadowFp, shadowFn, zombieTp, zombieFp, zombieFn, inventedParams, truthOps, learnedOps;
        final List<String> misses = new ArrayList<>();
        final List<String> inventions = new ArrayList<>();

        void add(Score o) {
            for (int i = 0; i < 5; i++) {
                tp[i] += o.tp[i];
                fn[i] += o.fn[i];
                fp[i] += o.fp[i];
            }
            shadowTp += o.shadowTp;
            shadowFp += o.shadowFp;
            shadowFn += o.shadowFn;
            zombieTp += o.zombieTp;
            zombieFp += o.zombieFp;
            zombieFn += o.zombieFn;
            inventedParams += o.inventedParams;
            truthOps += o.truthOps;
            learnedOps += o.learnedOps;
        }

        public double precision() {
            long t = sum(tp), f = sum(fp);
            return t + f == 0 ? 1 : (double) t / (t + f);
        }

        public double recall() {
            long t = sum(tp), f = sum(fn);
            return t + f == 0 ? 1 : (double) t / (t + f);
        }

        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public long inventedParams() {
            return inventedParams;
        }

        private static long sum(long[] a) {
            long s = 0;
            for (long v : a) s += v;
            return s;
        }
    }

    /**
     * @param holdOut share of operations removed from the catalog (0.10 = 10%)
     * @param rpc     whether the spec is RPC-style (then every learned parameter counts as invented)
     */
    public static Score evaluate(Path spec, long seed, int requests, double zipfS, double holdOut, boolean rpc) throws IOException {
        HarTrafficGenerator.Generated g = HarTrafficGenerator.generate(spec, seed, requests, zipfS);
        TrafficLearner learner = new TrafficLearner();
        new HarReader().read(new ByteArrayInputStream(HarTrafficGenerator.toBytes(g.har())), learner::observe);
        InventorySnapshot inv = learner.snapshot();

        // catalog with a seeded share of operations held out
        List<TruthOperation> all = new ArrayList<>(g.truth());
        Collections.shuffle(all, new Random(seed ^ 0x5DEECE66DL));
        int held = (int) Math.round(all.size() * holdOut);
        Set<String> heldOut = new HashSet<>();
        for (int i = 0; i < held; i++) heldOut.add(all.get(i).key());
        List<CatalogOperation> documented = new ArrayList<>();
        for (CatalogOperation c : Catalog.operationsOf(g.spec(), spec.getFileName().toString(), new ArrayList<>())) {
            String key = c.host() + " " + c.method() + " " + c.path().shape();
            if (!heldOut.contains(key)) documented.add(c);
        }
        CatalogComparison cmp = new CatalogComparison(new Catalog(documented, List.of()), Duration.ofDays(30));

        Score s = new Score();
        Map<String, TruthOperation> truth = new HashMap<>();
        for (TruthOperation t : g.truth()) if (t.requests() > 0) truth.put(t.key(), t);
        s.truthOps = truth.size();
        s.learnedOps = inv.operations().size();
        Set<String> learnedKeys = new HashSet<>();
        for (LearnedOperation op : inv.operations()) {
            String key = op.host() + " " + op.method() + " " + op.path().shape();
            learnedKeys.add(key);
            TruthOperation t = truth.get(key);
            if (t != null) s.tp[bucket(t.requests())]++;
            else s.fp[bucket(op.requests())]++;
            if (rpc && op.path().segments().stream().anyMatch(x -> x instanceof PathTemplate.Param)) {
                s.inventedParams++;
                s.inventions.add(key);
            }
            Label predicted = cmp.judge(op).label();
            boolean zombieTruth = t != null && (t.deprecated() || t.superseded());
            boolean shadowTruth = t != null && !zombieTruth && heldOut.contains(key);
            if (predicted == Label.SHADOW) {
                if (shadowTruth) s.shadowTp++;
                else s.shadowFp++;
            } else if (shadowTruth) {
                s.shadowFn++;
            }
            if (predicted == Label.ZOMBIE) {
                if (zombieTruth) s.zombieTp++;
                else s.zombieFp++;
            } else if (zombieTruth) {
                s.zombieFn++;
            }
            if ((predicted == Label.SHADOW) != shadowTruth || (predicted == Label.ZOMBIE) != zombieTruth) {
                s.misses.add("label " + predicted.wire() + " for " + key + (heldOut.contains(key) ? " (held out)" : ""));
            }
        }
        for (TruthOperation t : truth.values()) {
            if (!learnedKeys.contains(t.key())) {
                s.fn[bucket(t.requests())]++;
                boolean zombieTruth = t.deprecated() || t.superseded();
                if (zombieTruth) s.zombieFn++;
                else if (heldOut.contains(t.key())) s.shadowFn++;
                s.misses.add(t.key() + " (" + t.requests() + " req)");
            }
        }
        return s;
    }

    record SpecRun(String file, boolean rpc) {
    }

    static final List<SpecRun> SPECS = List.of(new SpecRun("payments.yaml", false), new SpecRun("messaging.yaml", false),
            new SpecRun("chat.yaml", true), new SpecRun("helpdesk.yaml", false));

    public static void main(String[] args) throws IOException {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261122L;
        Path dir = Path.of(args.length > 1 ? args[1] : "discovery/src/test/resources/learn/specs");
        int perOp = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        boolean verbose = System.getenv("VERBOSE") != null;
        PrintStream out = System.out;
        out.printf("discovery quality: seed %d, Zipf s=1.1, %d requests per documented operation, 10%% held out of the catalog%n", seed, perOp);
        Score total = new Score();
        for (SpecRun r : SPECS) {
            Path spec = dir.resolve(r.file());
            int ops = HarTrafficGenerator.parse(spec).getPaths().values().stream().mapToInt(p -> p.readOperationsMap().size()).sum();
            Score s = evaluate(spec, seed, ops * perOp, 1.1, 0.10, r.rpc());
            total.add(s);
            print(out, r.file() + (r.rpc() ? " (RPC)" : ""), s);
            if (verbose) {
                s.misses.forEach(m -> out.println("    missed: " + m));
                s.inventions.forEach(m -> out.println("    invented parameter: " + m));
            }
        }
        print(out, "TOTAL", total);
    }

    static void print(PrintStream out, String name, Score s) {
        out.printf("%-22s ops seen %4d learned %4d  P %.3f R %.3f F1 %.3f  invented params %d%n", name, s.truthOps,
                s.learnedOps, s.precision(), s.recall(), s.f1(), s.inventedParams);
        StringBuilder sb = new StringBuilder("    by requests/op:");
        for (int i = 0; i < 5; i++) {
            long tp = s.tp[i], fn = s.fn[i], fp = s.fp[i];
            double p = tp + fp == 0 ? 1 : (double) tp / (tp + fp), rc = tp + fn == 0 ? 1 : (double) tp / (tp + fn);
            sb.append(String.format("  [%s] n=%d P %.3f R %.3f", BUCKETS[i], tp + fn, p, rc));
        }
        out.println(sb);
        out.printf("    shadow P %.3f R %.3f (tp %d fp %d fn %d)   zombie P %.3f R %.3f (tp %d fp %d fn %d)%n",
                ratio(s.shadowTp, s.shadowFp), ratio(s.shadowTp, s.shadowFn), s.shadowTp, s.shadowFp, s.shadowFn,
                ratio(s.zombieTp, s.zombieFp), ratio(s.zombieTp, s.zombieFn), s.zombieTp, s.zombieFp, s.zombieFn);
    }

    private static double ratio(long tp, long other) {
        return tp + other == 0 ? 1 : (double) tp / (tp + other);
    }
}
