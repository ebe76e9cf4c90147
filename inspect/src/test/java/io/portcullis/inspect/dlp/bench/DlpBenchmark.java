package io.portcullis.inspect.dlp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.inspect.dlp.DlpEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the DLP engine on the labelled corpus, every built-in detector on. One operation scans the
 * whole corpus once (its size is printed at setup); {@code bench/dlp.sh} turns ops/s into MB/s.
 * {@code vendorRules} compares 10 vendor key rules with all of them: the cost must not depend on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DlpBenchmark {
    @Param({"10", "all"})
    public String vendorRules;

    private DlpEngine engine;
    private List<byte[]> payloads;
    private List<String> contentTypes;
    private byte[] concatenated;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path corpus = Path.of(System.getProperty("dlp.corpus", "bench/dlp-corpus/corpus.jsonl"));
        var mapper = new ObjectMapper();
        payloads = new ArrayList<>();
        contentTypes = new ArrayList<>();
        var all = new ByteArrayOutputStream();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            var r = mapper.readTree(line);
            byte[] p = r.get("payload").asText().getBytes(StandardCharsets.UTF_8);
            payloads.add(p);
            contentTypes.add(r.get("content_type").asText());
            all.writeBytes(p);
            all.write('\n');
        }
        concatenated = all.toByteArray();
        var b = DlpEngine.builder();
        if (!vendorRules.equals("all")) b.vendorRuleLimit(Integer.parseInt(vendorRules));
        engine = b.build();
        System.err.println("corpus bytes: " + concatenated.length);
    }

    /** The corpus as one text buffer: the byte-level pass and validators only. */
    @Benchmark
    public void scanText(Blackhole bh) {
        bh.consume(engine.scanText(concatenated, 0, concatenated.length));
    }

    /** Each payload as a request body with its content type: structure, decoding and JSON paths included. */
    @Benchmark
    public void scanBodies(Blackhole bh) {
        for (int i = 0; i < payloads.size(); i++) bh.consume(engine.scanBody(payloads.get(i), contentTypes.get(i), null));
    }
}
