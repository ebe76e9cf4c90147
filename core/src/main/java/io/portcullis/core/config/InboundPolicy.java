package io.portcullis.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What Portcullis checks in data a third party sends back (API responses, webhooks) for one API.
 *
 * <p>Written under an API as {@code inbound:}; every key is optional. Defaults: limits on (block), malware
 * fail-closed when scanning is on, schema off until a spec is named, and threats <em>reported</em> while the
 * body streams on; an API without an {@code inbound:} section is scanned the same way. Writing a
 * {@code threats:} section makes its action default to {@code block}, which holds inspectable (JSON, form,
 * XML) bodies whole, up to the limits, so nothing reaches the app before it was judged:
 * <pre>{@code
 * inbound:
 *   schema:
 *     spec: [specs/stripe-openapi.yaml]   # one or several files, paths relative to this config file
 *     mode: enforce                       # enforce | report | off  (default: enforce when spec is set)
 *     unknownFields: allow                # allow | reject (reject = additionalProperties false everywhere)
 *     validateRequests: false             # also validate what apps send to the vendor
 *   limits:
 *     maxBodySize: 10MiB                  # decoded body bytes (and wire bytes)
 *     maxDepth: 64                        # JSON nesting depth
 *     maxArrayLength: 10000               # elements in one JSON array
 *     maxStringLength: 1048576            # characters in one JSON string
 *     maxNumberLength: 100                # characters in one JSON number
 *     maxObjectKeys: 1000                 # keys in one JSON object
 *     maxCompressionRatio: 100            # decoded/encoded bytes (gzip, deflate, br)
 *     action: block                       # block | report
 *   threats:
 *     action: block                       # block | report (without a threats: section: report)
 *   malware:
 *     scan: true                          # stream bodies (and base64 file fields, multipart parts) to clamd
 *     failMode: closed                    # closed | open: what to do when clamd cannot answer
 *     maxScanSize: 25MiB                  # bodies larger than this are not scanned (counted as a finding)
 * }</pre>
 *
 * @param schema  contract validation against the vendor's OpenAPI/Swagger spec
 * @param limits  structural limits and decompression guard
 * @param threats injection detection action
 * @param malware ClamAV scanning
 */
public record InboundPolicy(SchemaPolicy schema, Limits limits, Threats threats, Malware malware) {

    /** Enforce (reject), report (audit only) or off. */
    public enum Mode { ENFORCE, REPORT, OFF }

    /** Whether properties a schema does not declare are accepted. */
    public enum UnknownFields { ALLOW, REJECT }

    /**
     * What a finding does to the exchange: block it (502 to the app, 400 to a webhook sender), only report it,
     * or {@code off}: the check does not run. For limits, {@code off} drops the JSON structure checks; a
     * compressed body is still decoded under the ratio and size caps (a bomb is always refused).
     */
    public enum Action { BLOCK, REPORT, OFF }

    /** What happens when the scanner cannot give an answer (down, timeout, error). */
    public enum FailMode { CLOSED, OPEN }

    /**
     * @param spec             absolute paths of the spec files (resolved relative to the config file)
     * @param mode             enforce, report or off
     * @param unknownFields    allow or reject undeclared properties
     * @param validateRequests also validate requests apps send
     */
    public record SchemaPolicy(List<Path> spec, Mode mode, UnknownFields unknownFields, boolean validateRequests,
                               List<String> webhooks, Optional<String> operation) {
        public SchemaPolicy {
            spec = List.copyOf(spec);
            Objects.requireNonNull(mode);
            Objects.requireNonNull(unknownFields);
            webhooks = List.copyOf(webhooks);
            Objects.requireNonNull(operation);
        }

        /** An API's schema section (no webhook selection). */
        public SchemaPolicy(List<Path> spec, Mode mode, UnknownFields unknownFields, boolean validateRequests) {
            this(spec, mode, unknownFields, validateRequests, List.of(), Optional.empty());
        }

        public static final SchemaPolicy OFF = new SchemaPolicy(List.of(), Mode.OFF, UnknownFields.ALLOW, false);
    }

    /**
     * Every limit is inclusive: a value equal to the limit passes, one more fails.
     */
    public record Limits(long maxBodySize, int maxDepth, int maxArrayLength, int maxStringLength, int maxNumberLength,
                         int maxObjectKeys, int maxCompressionRatio, Action action) {
        public Limits {
            if (maxBodySize < 0 || maxDepth < 1 || maxArrayLength < 0 || maxStringLength < 0 || maxNumberLength < 1
                    || maxObjectKeys < 0 || maxCompressionRatio < 1) {
                throw new IllegalArgumentException("limits out of range");
            }
            Objects.requireNonNull(action);
        }

        public static final Limits DEFAULT = new Limits(10L << 20, 64, 10_000, 1 << 20, 100, 1_000, 100, Action.BLOCK);

        public Limits withMaxBodySize(long v) {
            return new Limits(v, maxDepth, maxArrayLength, maxStringLength, maxNumberLength, maxObjectKeys, maxCompressionRatio, action);
        }
    }

    public record Threats(Action action) {
        public static final Threats DEFAULT = new Threats(Action.REPORT); // streamed; block (holds inspectable bodies whole) is opted into per API
    }

    /**
     * @param scan        whether bodies are sent to clamd
     * @param failMode    closed (block when clamd cannot answer; the default) or open (pass, with a finding)
     * @param maxScanSize bodies beyond this are not sent to clamd; recorded as a finding and treated per failMode
     */
    public record Malware(boolean scan, FailMode failMode, long maxScanSize) {
        public static final Malware DEFAULT = new Malware(false, FailMode.CLOSED, 25L << 20);
    }

    public static final InboundPolicy DEFAULT = new InboundPolicy(SchemaPolicy.OFF, Limits.DEFAULT, Threats.DEFAULT, Malware.DEFAULT);

    /**
     * {@code inbound: off}: responses pass unexamined; only {@code apis[].limits.maxResponseBody} and, for
     * compressed bodies, the decompression guard still apply (a bomb is always refused).
     */
    public static final InboundPolicy OFF = new InboundPolicy(SchemaPolicy.OFF,
            new Limits(Limits.DEFAULT.maxBodySize(), Limits.DEFAULT.maxDepth(), Limits.DEFAULT.maxArrayLength(),
                    Limits.DEFAULT.maxStringLength(), Limits.DEFAULT.maxNumberLength(), Limits.DEFAULT.maxObjectKeys(),
                    Limits.DEFAULT.maxCompressionRatio(), Action.OFF),
            new Threats(Action.OFF), Malware.DEFAULT);

    /** Whether no check but the decompression guard runs on responses. */
    public boolean off() {
        return schema.mode() == Mode.OFF && limits.action() == Action.OFF && threats.action() == Action.OFF && !malware.scan();
    }

    /**
     * Reads {@code inbound:} as a mapping or the scalar {@code off}; anything else is an error at its line:column.
     */
    public static InboundPolicy read(ConfigNode n, Path baseDir) {
        if (n.isOff()) return OFF;
        if (n.isScalar()) {
            n.error("inbound must be a mapping or 'off'", "write 'inbound: off' or a mapping such as '{threats: {action: block}}'");
            return DEFAULT;
        }
        return read(n.asMapping(), baseDir);
    }

    /** For webhook deliveries, which are held whole before forwarding anyway: injection payloads are refused (400). */
    public static final InboundPolicy WEBHOOK_DEFAULT = new InboundPolicy(SchemaPolicy.OFF, Limits.DEFAULT, new Threats(Action.BLOCK), Malware.DEFAULT);

    /**
     * Reads an {@code inbound:} mapping strictly: unknown keys, wrong types, out-of-range values and missing
     * spec files are reported at their {@code line:column} with a fix; the returned policy then carries defaults
     * in their place (callers check {@link ConfigProblems#throwIfAny()} once the whole file is read).
     * Spec paths are resolved relative to the directory of the config file ({@link ConfigProblems#file()}).
     */
    public static InboundPolicy read(ConfigNode.Mapping m) {
        Path file = Path.of(m.problems().file());
        Path base = file.toAbsolutePath().getParent();
        return read(m, base == null ? Path.of("").toAbsolutePath() : base);
    }

    /** As {@link #read(ConfigNode.Mapping)} with spec paths resolved against {@code baseDir}. */
    public static InboundPolicy read(ConfigNode.Mapping m, Path baseDir) {
        return read(m, baseDir, false);
    }

    /**
     * The {@code inbound:} section of a webhook route: as an API's, except that {@code schema:} describes the
     * delivery (the request the vendor sends) and takes {@code webhooks:} or {@code operation:} to say which part of
     * the spec that is, and no {@code validateRequests}. Defaults: {@link #WEBHOOK_DEFAULT}.
     */
    public static InboundPolicy readForWebhook(ConfigNode.Mapping m, Path baseDir) {
        return read(m, baseDir, true);
    }

    private static InboundPolicy read(ConfigNode.Mapping m, Path baseDir, boolean webhook) {
        SchemaPolicy schema = m.get("schema").map(n -> readSchema(n.asMapping(), baseDir, webhook)).orElse(SchemaPolicy.OFF);
        Limits limits = m.get("limits").map(n -> readLimits(n.asMapping())).orElse(Limits.DEFAULT);
        Threats threats = m.get("threats").map(n -> {
            var t = n.asMapping();
            var a = t.opt("action", x -> x.asEnum(Action.class), Action.BLOCK);
            t.done();
            return new Threats(a);
        }).orElse(webhook ? WEBHOOK_DEFAULT.threats() : Threats.DEFAULT);
        Malware malware = m.get("malware").map(n -> readMalware(n.asMapping())).orElse(Malware.DEFAULT);
        m.done();
        return new InboundPolicy(schema, limits, threats, malware);
    }

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private static SchemaPolicy readSchema(ConfigNode.Mapping s, Path baseDir, boolean webhook) {
        var specs = new ArrayList<Path>();
        var specNode = s.get("spec");
        if (specNode.isPresent()) {
            List<ConfigNode> items = specNode.get().isSequence() ? specNode.get().asList() : List.of(specNode.get());
            for (ConfigNode item : items) {
                String p = item.asString();
                if (p == null) continue;
                Path path = baseDir.resolve(p).normalize();
                if (!Files.isRegularFile(path)) {
                    item.error("spec file '" + ConfigNode.abbreviate(p) + "' not found (looked at " + path + ")",
                            webhook ? "write a path to the vendor's OpenAPI 3.x file or the JSON Schema of its events, relative to the config file"
                                    : "write a path to an OpenAPI 3.x or Swagger 2.0 file, relative to the config file");
                    continue;
                }
                specs.add(path);
            }
        }
        Mode mode = s.opt("mode", n -> n.asEnum(Mode.class), specNode.isPresent() ? Mode.ENFORCE : Mode.OFF);
        if (mode != Mode.OFF && !specNode.isPresent()) {
            s.error("schema mode '" + mode.name().toLowerCase() + "' needs a spec",
                    "add 'spec: [path/to/openapi.yaml]' or set 'mode: off'");
        }
        var unknown = s.opt("unknownFields", n -> n.asEnum(UnknownFields.class), UnknownFields.ALLOW);
        if (!webhook) {
            boolean requests = s.opt("validateRequests", ConfigNode::asBool, false);
            s.done();
            return new SchemaPolicy(specs, mode, unknown, requests);
        }
        if (s.has("validateRequests")) {
            s.keyNode("validateRequests").error("validateRequests does not apply to a webhook: its delivery is what the schema checks",
                    "remove validateRequests");
            s.get("validateRequests");
        }
        var names = new ArrayList<String>();
        for (ConfigNode n : s.list("webhooks")) {
            String w = n.asString();
            if (w == null) continue;
            if (w.isBlank() || w.length() > 200) n.error("'" + ConfigNode.abbreviate(w) + "' is not a webhook name", "write a key of the spec's webhooks: section, e.g. invoice.paid");
            else if (names.contains(w)) n.error("webhook '" + ConfigNode.abbreviate(w) + "' is listed twice", "list each once");
            else names.add(w);
        }
        Optional<String> operation = Optional.empty();
        if (s.has("operation")) {
            var node = s.get("operation").orElseThrow();
            String op = node.asString();
            if (op != null) {
                String[] parts = op.trim().split("\\s+");
                if (parts.length != 2 || !METHODS.contains(parts[0].toUpperCase(java.util.Locale.ROOT)) || !parts[1].startsWith("/")) {
                    node.error("operation '" + ConfigNode.abbreviate(op) + "' is not 'METHOD /path'",
                            "write the spec operation whose request body describes the delivery, e.g. 'POST /events'");
                } else {
                    operation = Optional.of(parts[0].toUpperCase(java.util.Locale.ROOT) + " " + parts[1]);
                }
            }
        }
        if (!names.isEmpty() && operation.isPresent()) {
            s.keyNode("operation").error("give either webhooks: or operation:, not both",
                    "use webhooks: for an OpenAPI 3.1 webhooks section, operation: for a paths operation");
        }
        s.done();
        return new SchemaPolicy(specs, mode, unknown, false, names, operation);
    }

    private static Limits readLimits(ConfigNode.Mapping l) {
        var d = Limits.DEFAULT;
        long body = l.opt("maxBodySize", n -> {
            Long v = n.asSize();
            if (v != null && (v < 1 || v > (1L << 31))) {
                n.error("maxBodySize must be between 1 byte and 2GiB", "write a size such as 10MiB");
                return null;
            }
            return v;
        }, d.maxBodySize());
        int depth = l.opt("maxDepth", n -> n.asInt(1, 10_000), d.maxDepth());
        int arr = l.opt("maxArrayLength", n -> n.asInt(0, Integer.MAX_VALUE), d.maxArrayLength());
        int str = l.opt("maxStringLength", n -> n.asInt(0, Integer.MAX_VALUE), d.maxStringLength());
        int num = l.opt("maxNumberLength", n -> n.asInt(1, 100_000), d.maxNumberLength());
        int keys = l.opt("maxObjectKeys", n -> n.asInt(0, Integer.MAX_VALUE), d.maxObjectKeys());
        int ratio = l.opt("maxCompressionRatio", n -> n.asInt(1, 100_000), d.maxCompressionRatio());
        var action = l.opt("action", n -> n.asEnum(Action.class), Action.BLOCK);
        l.done();
        return new Limits(body, depth, arr, str, num, keys, ratio, action);
    }

    private static Malware readMalware(ConfigNode.Mapping w) {
        boolean scan = w.opt("scan", ConfigNode::asBool, true);
        var fail = w.opt("failMode", n -> n.asEnum(FailMode.class), FailMode.CLOSED);
        long max = w.opt("maxScanSize", n -> {
            Long v = n.asSize();
            if (v != null && (v < 1 || v > (1L << 32))) {
                n.error("maxScanSize must be between 1 byte and 4GiB", "write a size such as 25MiB");
                return null;
            }
            return v;
        }, Malware.DEFAULT.maxScanSize());
        w.done();
        return new Malware(scan, fail, max);
    }
}
