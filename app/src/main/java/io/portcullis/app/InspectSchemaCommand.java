package io.portcullis.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.limits.StructureVerdict;
import io.portcullis.inspect.schema.ContractFinding;
import io.portcullis.inspect.schema.SpecException;
import io.portcullis.inspect.schema.VendorContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis inspect schema --spec SPEC --operation 'GET /v1/x' --status 200 FILE}: validates one body
 * against a vendor's OpenAPI 3.x / Swagger 2.0 contract, as the gateway's schema policy would.
 * Prints one JSON line per finding ({@code kind, operation, path, reason, excerpt}); exit 0 clean, 1 findings,
 * 2 error (unreadable spec or file, bad arguments).
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Validate a response (or, with --request, a request) body against a vendor's OpenAPI/Swagger spec.",
                "Prints one JSON line per finding. Exit status: 0 clean, 1 findings, 2 error."})
public final class InspectSchemaCommand implements Callable<Integer> {
    static final long MAX_INPUT = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "SPEC",
            description = "OpenAPI 3.0/3.1 or Swagger 2.0 file, JSON or YAML; repeat for several files of one vendor")
    List<Path> specs;

    @Option(names = "--operation", required = true, paramLabel = "'METHOD /path'",
            description = "the concrete request, e.g. 'GET /v1/customers/cus_1' (a query string is allowed)")
    String operation;

    @Option(names = "--status", defaultValue = "200", description = "response status (default ${DEFAULT-VALUE})")
    int status;

    @Option(names = "--content-type", defaultValue = "application/json", description = "body content type (default ${DEFAULT-VALUE})")
    String contentType;

    @Option(names = "--unknown-fields", defaultValue = "allow", description = "allow or reject properties the schema does not declare")
    String unknownFields;

    @Option(names = "--request", description = "validate FILE as a request body sent to the vendor instead of a response")
    boolean request;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the body; '-' or absent for standard input")
    String file;

    /**
     * swagger-parser logs whole specs at DEBUG; with logback's default configuration that lands on standard output
     * and would corrupt the JSON lines. Its messages reach the user as warnings or errors anyway.
     */
    static void quietSpecLibraries() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            for (String name : new String[] {"io.swagger", "com.networknt"}) ctx.getLogger(name).setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    @Override
    public Integer call() {
        quietSpecLibraries();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String[] parts = operation.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            err.println("portcullis inspect schema: --operation must look like 'GET /v1/customers/cus_1'");
            return 2;
        }
        InboundPolicy.UnknownFields unknown;
        try {
            unknown = InboundPolicy.UnknownFields.valueOf(unknownFields.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("portcullis inspect schema: --unknown-fields must be allow or reject");
            return 2;
        }
        VendorContract contract;
        try {
            contract = VendorContract.load(specs, unknown);
        } catch (SpecException e) {
            err.println("portcullis inspect schema: the spec could not be loaded:");
            for (String p : e.problems()) err.println("  " + p);
            return 2;
        }
        byte[] body;
        try {
            body = read();
        } catch (IOException e) {
            err.println("portcullis inspect schema: cannot read " + (file == null ? "standard input" : file) + ": " + e.getMessage());
            return 2;
        }
        var findings = new ArrayList<ContractFinding>();
        String method = parts[0].toUpperCase(Locale.ROOT);
        // structural limits first, as in the gateway: a hostile body never reaches the schema validator
        if (contentType.toLowerCase(Locale.ROOT).contains("json") && body.length > 0) {
            var v = new StructuralLimits(InboundPolicy.Limits.DEFAULT.withMaxBodySize(MAX_INPUT)).check(body);
            if (!v.ok()) {
                String path = v instanceof StructureVerdict.Exceeded x ? x.jsonPath() : ((StructureVerdict.Malformed) v).jsonPath();
                String reason = v instanceof StructureVerdict.Exceeded x ? x.reason() : ((StructureVerdict.Malformed) v).reason();
                findings.add(new ContractFinding(ContractFinding.Kind.BODY_NOT_JSON, method + " " + parts[1], path, reason, ""));
            }
        }
        if (findings.isEmpty()) {
            findings.addAll(request
                    ? contract.checkRequest(method, parts[1], query(parts[1]), null, contentType, body)
                    : contract.checkResponse(method, parts[1], status, contentType, body));
        }
        for (ContractFinding f : findings) {
            var line = new LinkedHashMap<String, Object>();
            line.put("kind", f.kind().name());
            line.put("operation", f.operation());
            line.put("path", f.jsonPath());
            line.put("reason", f.reason());
            line.put("excerpt", f.excerpt());
            try {
                out.println(JSON.writeValueAsString(line));
            } catch (IOException e) {
                err.println("portcullis inspect schema: cannot write output");
                return 2;
            }
        }
        for (String w : contract.warnings()) {
            if (!w.isBlank()) err.println("warning: " + w);
        }
        out.flush();
        return findings.isEmpty() ? 0 : 1;
    }

    private static String query(String path) {
        int q = path.indexOf('?');
        return q < 0 ? null : path.substring(q + 1);
    }

    private byte[] read() throws IOException {
        if (file == null || file.equals("-")) return readBounded(System.in);
        Path p = Path.of(file);
        if (Files.size(p) > MAX_INPUT) throw new IOException("larger than " + MAX_INPUT + " bytes");
        return Files.readAllBytes(p);
    }

    static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes((int) MAX_INPUT + 1);
        if (b.length > MAX_INPUT) throw new IOException("larger than " + MAX_INPUT + " bytes");
        return b;
    }
}
