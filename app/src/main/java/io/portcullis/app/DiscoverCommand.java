package io.portcullis.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.discovery.diff.Catalog;
import io.portcullis.discovery.diff.CatalogComparison;
import io.portcullis.discovery.diff.CatalogException;
import io.portcullis.discovery.diff.Comparison;
import io.portcullis.discovery.diff.Label;
import io.portcullis.discovery.diff.Orphan;
import io.portcullis.discovery.diff.Verdict;
import io.portcullis.discovery.har.TrafficFile;
import io.portcullis.discovery.openapi.OpenApiExporter;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.LearnedOperation;
import io.portcullis.discovery.traffic.ReadResult;
import io.portcullis.discovery.traffic.TrafficLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code portcullis discover [--catalog SPEC]... [--openapi DIR] INPUT...}: learns the third-party API operations in
 * HAR files and audit logs, labels them against the catalog, prints one JSON line per operation then one per orphan,
 * and ends with a one-line summary on stderr. Exit 0 on success, 2 on unreadable input or catalog.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
        description = {"Learn third-party API operations from HAR files or Portcullis audit logs and label them against",
                "the catalog: shadow, zombie, drift, documented; then the orphans (documented but unused)."})
public final class DiscoverCommand implements Callable<Integer> {

    @Option(names = "--catalog", paramLabel = "SPEC", description = "Vendor spec (OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML); repeatable.")
    List<Path> catalog = new java.util.ArrayList<>();

    @Option(names = "--openapi", paramLabel = "DIR", description = "Write one OpenAPI 3.1 document per host into DIR.")
    Path openapiDir;

    @Option(names = "--orphan-days", paramLabel = "N", defaultValue = "30",
            description = "A documented operation unused for N days before the latest observed request is an orphan (default ${DEFAULT-VALUE}).")
    int orphanDays;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "HAR 1.2 file or Portcullis audit log (JSON lines).")
    List<Path> inputs;

    private final PrintStream out;
    private final PrintStream err;

    public DiscoverCommand() {
        this(System.out, System.err);
    }

    DiscoverCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (orphanDays < 0) {
            err.println("discover: --orphan-days must be 0 or more");
            return 2;
        }
        quietSpecParser();
        Catalog cat;
        try {
            cat = catalog.isEmpty() ? Catalog.empty() : Catalog.load(catalog);
        } catch (CatalogException e) {
            err.println("discover: " + e.getMessage());
            return 2;
        }
        for (String w : cat.warnings()) err.println("discover: warning: " + w);

        TrafficLearner learner = new TrafficLearner();
        long[] latest = {0};
        long skipped = 0;
        for (Path input : inputs) {
            if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
                err.println("discover: " + input + ": no such readable file");
                return 2;
            }
            try {
                ReadResult r = TrafficFile.read(input, req -> {
                    if (req.epochMillis() > latest[0]) latest[0] = req.epochMillis();
                    learner.observe(req);
                });
                skipped += r.skipped();
                if (r.skipped() > 0) {
                    err.println("discover: " + input + ": skipped " + r.skipped() + " unusable line(s)/entries, first at " + r.firstSkipped());
                }
            } catch (IOException e) {
                err.println("discover: " + input + ": " + e.getMessage());
                return 2;
            }
        }
        InventorySnapshot inv = learner.snapshot();
        long reference = latest[0] != 0 ? latest[0] : System.currentTimeMillis();
        Comparison cmp = new CatalogComparison(cat, Duration.ofDays(orphanDays)).compare(inv, reference);

        ObjectMapper json = new ObjectMapper();
        try {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (Verdict v : cmp.verdicts()) {
                w.write(json.writeValueAsString(line(json, v, inv)));
                w.newLine();
            }
            for (Orphan o : cmp.orphans()) {
                w.write(json.writeValueAsString(orphanLine(json, o)));
                w.newLine();
            }
            w.flush();
            if (openapiDir != null) {
                Map<LearnedOperation, Verdict> byOp = new IdentityHashMap<>();
                for (Verdict v : cmp.verdicts()) byOp.put(v.operation(), v);
                new OpenApiExporter().write(openapiDir, inv.operations(), byOp);
            }
        } catch (IOException e) {
            err.println("discover: cannot write output: " + e.getMessage());
            return 2;
        }
        long hosts = inv.operations().stream().map(LearnedOperation::host).distinct().count();
        err.println("discover: " + inv.requests() + " requests" + (skipped > 0 ? " (" + skipped + " skipped)" : "")
                + " from " + inputs.size() + " input(s): " + inv.operations().size() + " operations on " + hosts + " host(s); "
                + cmp.count(Label.SHADOW) + " shadow, " + cmp.count(Label.ZOMBIE) + " zombie, " + cmp.count(Label.DRIFT)
                + " drift, " + cmp.count(Label.DOCUMENTED) + " documented, " + cmp.count(Label.ORPHAN) + " orphan"
                + (inv.collapsedHosts().isEmpty() ? "" : "; collapsed hosts: " + inv.collapsedHosts().keySet())
                + (inv.droppedRequests() > 0 ? "; " + inv.droppedRequests() + " requests dropped (host limit)" : "")
                + (openapiDir != null ? "; OpenAPI written to " + openapiDir : ""));
        return 0;
    }

    /**
     * swagger-parser logs every document it cannot read at ERROR with a stack trace; the command reports spec
     * problems itself (file name and parser messages), so the parser's own logging is switched off.
     */
    private static void quietSpecParser() {
        for (String name : List.of("io.swagger", "io.swagger.v3.parser", "io.swagger.parser")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    private static ObjectNode line(ObjectMapper json, Verdict v, InventorySnapshot inv) {
        LearnedOperation op = v.operation();
        ObjectNode n = json.createObjectNode();
        n.put("host", op.host());
        n.put("method", op.method());
        n.put("path", op.path().render());
        n.put("requests", op.requests());
        ObjectNode st = n.putObject("statuses");
        op.statuses().forEach((k, c) -> st.put(Integer.toString(k), c));
        n.set("dataClasses", json.valueToTree(op.dataClasses()));
        n.put("label", v.label().wire());
        n.put("reason", v.reason());
        if (op.firstSeen() != 0) n.put("firstSeen", Instant.ofEpochMilli(op.firstSeen()).toString());
        if (op.lastSeen() != 0) n.put("lastSeen", Instant.ofEpochMilli(op.lastSeen()).toString());
        n.set("apps", json.valueToTree(op.apps()));
        n.set("queryParams", json.valueToTree(op.queryParams().keySet()));
        n.set("authSchemes", json.valueToTree(op.authSchemes()));
        n.set("contentTypes", json.valueToTree(op.responseTypes()));
        if (!v.drift().isEmpty()) n.set("drift", json.valueToTree(v.drift()));
        if (v.matched() != null) n.put("documented", v.matched().label() + " (" + v.matched().source() + ")");
        if (inv.collapsedHosts().containsKey(op.host())) n.put("hostCollapsed", true);
        return n;
    }

    private static ObjectNode orphanLine(ObjectMapper json, Orphan o) {
        ObjectNode n = json.createObjectNode();
        n.put("host", o.operation().host());
        n.put("method", o.operation().method());
        n.put("path", o.operation().path().render());
        n.put("requests", 0);
        n.putObject("statuses");
        n.putArray("dataClasses");
        n.put("label", Label.ORPHAN.wire());
        n.put("reason", o.reason());
        if (o.lastSeen() != 0) n.put("lastSeen", Instant.ofEpochMilli(o.lastSeen()).toString());
        n.put("api", o.operation().api());
        return n;
    }
}
