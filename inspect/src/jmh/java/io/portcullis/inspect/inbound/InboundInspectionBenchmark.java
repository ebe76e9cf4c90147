package io.portcullis.inspect.inbound;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.schema.VendorContract;
import io.portcullis.inspect.threats.ThreatEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Inbound inspection of one vendor JSON response (bench/inbound-bench/charges.json, 5.4 KB) with the three checks
 * the gateway runs under {@code inbound:} (structural limits, threat scan of every string, contract validation
 * against bench/inbound-bench/charges-openapi.yaml), as in bench/inbound-vs-modsec.sh. ops/s = responses/s on
 * one core. {@code separate}: each check parses the body on its own (the gateway before the single pass);
 * {@code singlePass}: one tokenization feeding all three. Run with bench/inbound-jmh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class InboundInspectionBenchmark {
    static final InboundPolicy.Limits LIMITS = new InboundPolicy.Limits(1L << 20, 32, 1000, 65536,
            InboundPolicy.Limits.DEFAULT.maxNumberLength(), InboundPolicy.Limits.DEFAULT.maxObjectKeys(),
            InboundPolicy.Limits.DEFAULT.maxCompressionRatio(), InboundPolicy.Action.BLOCK);
    public byte[] body;
    public StructuralLimits limits;
    public ThreatEngine threats;
    public VendorContract contract;
    public com.fasterxml.jackson.databind.JsonNode tree;

    @Setup
    public void setup() throws Exception {
        Path dir = Path.of(System.getProperty("inbound.bench.dir", "bench/inbound-bench"));
        body = Files.readAllBytes(dir.resolve("charges.json"));
        limits = new StructuralLimits(LIMITS);
        threats = new ThreatEngine();
        contract = VendorContract.load(List.of(dir.resolve("charges-openapi.yaml")), InboundPolicy.UnknownFields.ALLOW);
        if (!limits.check(body).ok() || !threats.scanJson(body).findings().isEmpty()
                || !contract.checkResponse("GET", "/v1/charges", 200, "application/json", body).isEmpty()) {
            throw new IllegalStateException("the benchmark body must pass all three checks");
        }
        var pass = new InboundJsonPass(limits, threats, true);
        pass.feed(body, 0, body.length, true);
        tree = pass.tree();
        if (tree == null || pass.threats() == null || !pass.threats().findings().isEmpty()) throw new IllegalStateException("single pass incomplete");
    }

    /** Each check parses the body itself (as the gateway's three policies did before the single pass). */
    @Benchmark
    public void separate(Blackhole bh) {
        bh.consume(limits.check(body));
        bh.consume(threats.scanJson(body));
        bh.consume(contract.operation("GET", "/v1/charges"));
        bh.consume(contract.checkResponse("GET", "/v1/charges", 200, "application/json", body));
    }

    /** One tokenization feeding the structural checks, the threat scan and the contract tree (the gateway now). */
    @Benchmark
    public void singlePass(Blackhole bh) {
        var pass = new InboundJsonPass(limits, threats, true);
        bh.consume(pass.feed(body, 0, body.length, true));
        bh.consume(pass.threats());
        bh.consume(contract.documents("GET", "/v1/charges"));
        bh.consume(contract.checkResponse("GET", "/v1/charges", 200, "application/json", body, pass.tree()));
    }

    /** The contract check alone on a tree already built (what is left of schema validation after the single pass). */
    @Benchmark
    public void schemaValidateTreeOnly(Blackhole bh) {
        bh.consume(contract.checkResponse("GET", "/v1/charges", 200, "application/json", body, tree));
    }

    @Benchmark
    public void limitsOnly(Blackhole bh) {
        bh.consume(limits.check(body));
    }

    @Benchmark
    public void threatsOnly(Blackhole bh) {
        bh.consume(threats.scanJson(body));
    }

    @Benchmark
    public void schemaOnly(Blackhole bh) {
        bh.consume(contract.checkResponse("GET", "/v1/charges", 200, "application/json", body));
    }
}
