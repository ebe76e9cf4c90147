package io.portcullis.inspect.schema;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi30;
import com.networknt.schema.dialect.OpenApi31;
import io.portcullis.core.config.InboundPolicy.UnknownFields;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A vendor's published API contract, compiled for validating traffic: one or several OpenAPI 3.0/3.1 or
 * Swagger 2.0 files (JSON or YAML; 2.0 is converted by swagger-parser), with every body schema compiled by
 * networknt json-schema-validator (OpenAPI 3.0 or 3.1 dialect) at load time.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Loading fails with a {@link SpecException} naming the file (and the JSON pointer when a schema cannot
 *       be compiled); nothing is compiled lazily, so validation never meets a spec error.</li>
 *   <li>Operations are found by method and path template, constants before parameters, after stripping the
 *       base path of any declared server; status codes match exactly, then as a range ({@code 2XX}), then
 *       {@code default}; content types match exactly, then {@code type/*}, then {@code *}{@code /*}.</li>
 *   <li>With {@link UnknownFields#REJECT}, every object schema that lists {@code properties} and says nothing
 *       about {@code additionalProperties} gets {@code additionalProperties: false}; schemas combined with
 *       {@code allOf} are made strict on the combined property set instead, so composition keeps working.</li>
 *   <li>Findings carry a JSON path, a short reason and a masked excerpt, never a payload value.</li>
 *   <li>Validation never throws on bad input: an unparsable body is a {@code BODY_NOT_JSON} finding.</li>
 * </ul>
 * Immutable and thread-safe once loaded.
 */
public final class VendorContract {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final int MAX_FINDINGS = 50;
    private static final ObjectMapper BODY_MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(512).build())
            .build());

    /**
     * The OpenAPI dialects with unknown keywords kept as annotations silently: the document root ({@code openapi},
     * {@code paths}, ...) is compiled as the schema that holds every operation schema, and the default factory
     * logs a warning per unknown keyword.
     */
    private static final com.networknt.schema.dialect.Dialect OPENAPI_30 = quiet(OpenApi30.getInstance());
    private static final com.networknt.schema.dialect.Dialect OPENAPI_31 = quiet(OpenApi31.getInstance());

    private static com.networknt.schema.dialect.Dialect quiet(com.networknt.schema.dialect.Dialect d) {
        return com.networknt.schema.dialect.Dialect.builder(d)
                .unknownKeywordFactory((keyword, context) -> new com.networknt.schema.keyword.AnnotationKeyword(keyword))
                .build();
    }

    private final OperationRouter<Operation> router = new OperationRouter<>();
    /** Entries of OpenAPI 3.1 {@code webhooks:} sections, by name (one operation each: the delivery). */
    private final Map<String, Operation> webhooks = new LinkedHashMap<>();
    private final List<String> basePaths;
    private final List<String> warnings;
    private final int operationCount;

    /** One documented operation. */
    record Operation(String method, String template, String file, Map<String, Map<String, Schema>> responses,
                     Map<String, Schema> requestBody, boolean requestBodyRequired, List<String> requiredQuery,
                     List<String> requiredHeaders, Map<String, QueryParameter> query) {
        String display() {
            return template.startsWith("webhook ") ? template : method.toUpperCase(Locale.ROOT) + " " + template;
        }
    }

    private VendorContract(List<String> basePaths, List<String> warnings, int operationCount) {
        this.basePaths = basePaths;
        this.warnings = warnings;
        this.operationCount = operationCount;
    }

    /** Loads and compiles the spec files of one vendor API. */
    public static VendorContract load(List<Path> specs, UnknownFields unknownFields) throws SpecException {
        if (specs.isEmpty()) throw new SpecException(List.of("no spec file given"));
        var problems = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        var bases = new HashSet<String>();
        var loaded = new ArrayList<Loaded>();
        for (int i = 0; i < specs.size(); i++) {
            Path file = specs.get(i);
            try {
                loaded.add(parse(file, i, unknownFields, warnings, bases));
            } catch (SpecException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new SpecException(problems);
        var sortedBases = new ArrayList<>(bases);
        sortedBases.sort(Comparator.comparingInt(String::length).reversed());
        var contract = new VendorContract(List.copyOf(sortedBases), List.copyOf(warnings),
                loaded.stream().mapToInt(l -> l.operations.size()).sum());
        for (Loaded l : loaded) {
            for (Operation op : l.operations) {
                if (!contract.router.add(op.method, op.template, op)) {
                    problems.add(op.file + ": operation " + op.display() + " is defined twice (also in another spec file or path template)");
                }
            }
            for (var w : l.webhooks.entrySet()) {
                if (contract.webhooks.putIfAbsent(w.getKey(), w.getValue()) != null) {
                    problems.add(w.getValue().file + ": webhook '" + w.getKey() + "' is defined twice (also in another spec file)");
                }
            }
        }
        if (!problems.isEmpty()) throw new SpecException(problems);
        return contract;
    }

    /** Convenience: one file, unknown fields allowed. */
    public static VendorContract load(Path spec) throws SpecException {
        return load(List.of(spec), UnknownFields.ALLOW);
    }

    /** Parser messages that did not stop loading (unexpected attributes and the like). */
    public List<String> warnings() {
        return warnings;
    }

    public int operationCount() {
        return operationCount;
    }

    /** Whether the spec documents this method and path ({@code path} without query string). */
    public Optional<String> operation(String method, String path) {
        return Optional.ofNullable(lookup(method, path)).map(Operation::display);
    }

    /** Whether the spec documents this method and path: {@link #operation} without building its name (per-response use). */
    public boolean documents(String method, String path) {
        return lookup(method, path) != null;
    }

    /**
     * Validates a response from the vendor.
     *
     * @param method      the request method
     * @param path        the request path (a query string is ignored)
     * @param status      the response status
     * @param contentType the response {@code Content-Type} header, or null
     * @param body        the decoded body (empty for none)
     */
    public List<ContractFinding> checkResponse(String method, String path, int status, String contentType, byte[] body) {
        return checkResponse(method, path, status, contentType, body, null);
    }

    /**
     * As {@link #checkResponse(String, String, int, String, byte[])}, with the body's JSON tree when it was already
     * built from the single parse of the body ({@link JsonTreeBuilder}): then the body is not parsed again. The
     * findings are the same as without it.
     *
     * @param parsed the tree of {@code body}, or null to parse {@code body} here
     */
    public List<ContractFinding> checkResponse(String method, String path, int status, String contentType, byte[] body, JsonNode parsed) {
        Operation op = lookup(method, path);
        if (op == null) return List.of(unknown(method, path));
        Map<String, Schema> media = matchStatus(op.responses, status);
        if (media == null) {
            return List.of(new ContractFinding(ContractFinding.Kind.UNDOCUMENTED_STATUS, op.display(), "$",
                    "status " + status + " is not documented", ""));
        }
        return checkBody(op, media, contentType, body, parsed, false);
    }

    /**
     * Validates a request an app sends to the vendor.
     *
     * @param rawQuery the query string without {@code ?}, or null
     * @param headers  header names present (any case), or null to skip the header check
     */
    public List<ContractFinding> checkRequest(String method, String path, String rawQuery, Set<String> headers,
                                              String contentType, byte[] body) {
        Operation op = lookup(method, path);
        if (op == null) return List.of(unknown(method, path));
        var findings = new ArrayList<ContractFinding>();
        Map<String, List<String>> queryValues = queryValues(rawQuery);
        Set<String> present = queryValues.keySet();
        for (QueryParameter qp : op.query().values()) {
            List<String> vals = queryValues.get(qp.name());
            if (vals == null || vals.isEmpty()) continue;
            JsonNode value = coerce(vals, qp);
            List<Error> errors;
            try {
                errors = qp.schema().validate(value);
            } catch (RuntimeException e) {
                continue;
            }
            for (Error err : errors) {
                if (findings.size() >= MAX_FINDINGS) break;
                String msg = err.getMessage() == null ? "" : err.getMessage();
                String pointer = err.getInstanceLocation() == null ? "" : err.getInstanceLocation().toString();
                if (!pointer.isEmpty() && msg.startsWith(pointer + ": ")) msg = msg.substring(pointer.length() + 2);
                else if (msg.startsWith(": ")) msg = msg.substring(2);
                String sub = jsonPath(err.getInstanceLocation()).substring(1);
                findings.add(new ContractFinding(ContractFinding.Kind.SCHEMA_VIOLATION, op.display(), "query." + qp.name() + sub,
                        (err.getKeyword() == null ? "" : err.getKeyword() + ": ") + MaskedExcerpt.scrub(msg, err.getInstanceNode()),
                        MaskedExcerpt.of(err.getInstanceNode())));
            }
        }
        for (String q : op.requiredQuery) {
            if (!present.contains(q)) {
                findings.add(new ContractFinding(ContractFinding.Kind.MISSING_PARAMETER, op.display(), "$",
                        "required query parameter '" + q + "' is missing", ""));
            }
        }
        if (headers != null) {
            var lower = new HashSet<String>();
            for (String h : headers) lower.add(h.toLowerCase(Locale.ROOT));
            for (String h : op.requiredHeaders) {
                if (!lower.contains(h.toLowerCase(Locale.ROOT))) {
                    findings.add(new ContractFinding(ContractFinding.Kind.MISSING_PARAMETER, op.display(), "$",
                            "required header '" + h + "' is missing", ""));
                }
            }
        }
        if (body == null || body.length == 0) {
            if (op.requestBodyRequired) {
                findings.add(new ContractFinding(ContractFinding.Kind.MISSING_BODY, op.display(), "$", "a request body is required", ""));
            }
            return findings;
        }
        findings.addAll(checkBody(op, op.requestBody, contentType, body, null, true));
        return findings;
    }

    /** The names of the spec's (OpenAPI 3.1) {@code webhooks:} entries, in document order. */
    public List<String> webhookNames() {
        return List.copyOf(webhooks.keySet());
    }

    /**
     * Checks that a webhook selection names parts of this contract: every name is a {@code webhooks:} entry, or the
     * operation ({@code "POST /events"}) is documented; with neither, the spec must have a {@code webhooks:} section.
     *
     * @return the problems (empty when the selection is usable)
     */
    public List<String> deliveryProblems(List<String> names, Optional<String> operation) {
        var problems = new ArrayList<String>();
        if (operation.isPresent()) {
            String[] p = operation.get().split(" ", 2);
            if (lookup(p[0], p[1]) == null) problems.add("operation '" + abbreviate(operation.get()) + "' is not documented in the spec");
            return problems;
        }
        if (webhooks.isEmpty()) {
            problems.add("the spec has no webhooks: section; name the operation whose request body describes the delivery (operation: 'POST /path')");
        }
        for (String n : names) {
            if (!webhooks.containsKey(n)) {
                problems.add("webhook '" + abbreviate(n) + "' is not in the spec's webhooks: section (it has " + abbreviate(String.join(", ", webhooks.keySet())) + ")");
            }
        }
        return problems;
    }

    /**
     * Validates a webhook delivery (the request a vendor sends) against the request body of the selected
     * operation, or of the selected {@code webhooks:} entries (all of them when {@code names} is empty). With several
     * candidates the delivery passes if it matches any; otherwise the findings are those of the closest candidate
     * (fewest findings), whose name is each finding's operation.
     *
     * @param names       {@code webhooks:} entries to accept (empty: all)
     * @param operation   {@code "METHOD /path"} of a paths operation instead, or empty
     * @param contentType the delivery's {@code Content-Type}, or null
     * @param body        the decoded body
     */
    public List<ContractFinding> checkDelivery(List<String> names, Optional<String> operation, String contentType, byte[] body) {
        List<Operation> candidates = new ArrayList<>();
        if (operation.isPresent()) {
            String[] p = operation.get().split(" ", 2);
            Operation op = p.length == 2 ? lookup(p[0], p[1]) : null;
            if (op == null) return List.of(unknown(p[0], p.length == 2 ? p[1] : ""));
            candidates.add(op);
        } else if (names.isEmpty()) {
            candidates.addAll(webhooks.values());
        } else {
            for (String n : names) {
                Operation op = webhooks.get(n);
                if (op != null) candidates.add(op);
            }
        }
        if (candidates.isEmpty()) {
            return List.of(new ContractFinding(ContractFinding.Kind.UNKNOWN_OPERATION, "webhook", "$", "no documented webhook to check the delivery against", ""));
        }
        List<ContractFinding> best = null;
        for (Operation op : candidates) {
            List<ContractFinding> f;
            if (op.requestBody.isEmpty() && op.requestBodyRequired) {
                f = List.of(new ContractFinding(ContractFinding.Kind.MISSING_BODY, op.display(), "$", "a request body is required", ""));
            } else if (body == null || body.length == 0) {
                f = op.requestBodyRequired
                        ? List.of(new ContractFinding(ContractFinding.Kind.MISSING_BODY, op.display(), "$", "a request body is required", ""))
                        : List.of();
            } else {
                f = checkBody(op, op.requestBody, contentType, body, null, true);
            }
            if (f.isEmpty()) return List.of();
            if (best == null || f.size() < best.size()) best = f;
        }
        return best;
    }

    private List<ContractFinding> checkBody(Operation op, Map<String, Schema> media, String contentType, byte[] body, JsonNode parsed,
                                            boolean request) {
        boolean empty = body == null || body.length == 0;
        if (media.isEmpty()) {
            return empty ? List.of() : List.of(new ContractFinding(ContractFinding.Kind.UNDOCUMENTED_BODY, op.display(), "$",
                    (request ? "the request" : "this status") + " documents no body but " + body.length + " bytes arrived", ""));
        }
        if (empty) return List.of();
        String type = baseType(contentType);
        if (type.isEmpty()) {
            return List.of(new ContractFinding(ContractFinding.Kind.UNDOCUMENTED_CONTENT_TYPE, op.display(), "$",
                    "a body arrived without a Content-Type", ""));
        }
        String key = matchMedia(media.keySet(), type);
        if (key == null) {
            return List.of(new ContractFinding(ContractFinding.Kind.UNDOCUMENTED_CONTENT_TYPE, op.display(), "$",
                    "content type " + abbreviate(type) + " is not documented (documented: " + String.join(", ", media.keySet()) + ")", ""));
        }
        Schema schema = media.get(key);
        if (schema == null || !isJson(type)) return List.of();
        return validateJson(schema, op.display(), type, body, parsed);
    }

    /** Parses {@code body} as JSON and validates it; findings carry JSON paths and masked excerpts only. */
    static List<ContractFinding> validateJson(Schema schema, String display, String type, byte[] body) {
        return validateJson(schema, display, type, body, null);
    }

    /** As {@link #validateJson(Schema, String, String, byte[])}; {@code parsed}, when not null, is the tree of {@code body}. */
    static List<ContractFinding> validateJson(Schema schema, String display, String type, byte[] body, JsonNode parsed) {
        JsonNode instance = parsed;
        if (instance == null) {
            try {
                instance = BODY_MAPPER.readTree(body);
                if (instance == null || instance.isMissingNode()) throw new IOException("empty");
            } catch (IOException | RuntimeException e) {
                return List.of(new ContractFinding(ContractFinding.Kind.BODY_NOT_JSON, display, "$",
                        "the body is declared " + abbreviate(type) + " but is not valid JSON", ""));
            }
        }
        List<Error> errors;
        try {
            errors = schema.validate(instance);
        } catch (RuntimeException e) {
            return List.of(new ContractFinding(ContractFinding.Kind.SCHEMA_VIOLATION, display, "$",
                    "the schema could not be evaluated against this body", ""));
        }
        var findings = new ArrayList<ContractFinding>();
        for (Error err : errors) {
            if (findings.size() >= MAX_FINDINGS) break;
            var loc = err.getInstanceLocation();
            String path = jsonPath(loc);
            JsonNode at = err.getInstanceNode();
            String msg = err.getMessage() == null ? "" : err.getMessage();
            String pointer = loc == null ? "" : loc.toString();
            if (!pointer.isEmpty() && msg.startsWith(pointer + ": ")) msg = msg.substring(pointer.length() + 2);
            else if (msg.startsWith(": ")) msg = msg.substring(2);
            String reason = (err.getKeyword() == null ? "" : err.getKeyword() + ": ") + MaskedExcerpt.scrub(msg, at);
            findings.add(new ContractFinding(ContractFinding.Kind.SCHEMA_VIOLATION, display, path, reason, MaskedExcerpt.of(at)));
        }
        return findings;
    }

    private Operation lookup(String method, String rawPath) {
        if (method == null || rawPath == null) return null;
        String path = rawPath;
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        for (String base : basePaths) {
            if (!base.isEmpty() && (path.equals(base) || path.startsWith(base + "/"))) {
                Operation op = router.find(method, path.substring(base.length()));
                if (op != null) return op;
            }
        }
        return router.find(method, path);
    }

    private static ContractFinding unknown(String method, String path) {
        String p = path == null ? "" : path;
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        return new ContractFinding(ContractFinding.Kind.UNKNOWN_OPERATION, abbreviate(method + " " + p), "$",
                "no documented operation matches this method and path", "");
    }

    static Map<String, Schema> matchStatus(Map<String, Map<String, Schema>> responses, int status) {
        var exact = responses.get(Integer.toString(status));
        if (exact != null) return exact;
        var range = responses.get((status / 100) + "XX");
        if (range != null) return range;
        return responses.get("default");
    }

    static String matchMedia(Set<String> documented, String type) {
        String wildcard = null;
        String any = null;
        String major = type.contains("/") ? type.substring(0, type.indexOf('/')) : type;
        for (String d : documented) {
            String b = baseType(d);
            if (b.equals(type)) return d;
            if (b.equals(major + "/*")) wildcard = d;
            if (b.equals("*/*")) any = d;
        }
        return wildcard != null ? wildcard : any;
    }

    static String baseType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean isJson(String type) {
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
    }

    private static Map<String, List<String>> queryValues(String rawQuery) {
        var out = new LinkedHashMap<String, List<String>>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    // ---------------------------------------------------------------- loading

    private record Loaded(List<Operation> operations, Map<String, Operation> webhooks) {
    }

    private static Loaded parse(Path file, int index, UnknownFields unknownFields, List<String> warnings, Set<String> bases)
            throws SpecException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) throw new SpecException(List.of(name + ": spec file not found"));
        var options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIParser().readLocation(file.toAbsolutePath().toUri().toString(), null, options);
        OpenAPI api = result == null ? null : result.getOpenAPI();
        List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
        boolean hasWebhooks = api != null && api.getWebhooks() != null && !api.getWebhooks().isEmpty();
        if (api == null || api.getPaths() == null && !hasWebhooks) {
            var problems = new ArrayList<String>();
            if (messages.isEmpty()) problems.add(name + ": not an OpenAPI 3.x or Swagger 2.0 document");
            for (String m : messages) problems.add(name + ": " + m);
            if (api != null && api.getPaths() == null) problems.add(name + ": the spec has no 'paths' (nor 'webhooks')");
            throw new SpecException(problems);
        }
        for (String m : messages) warnings.add(name + ": " + m);
        boolean v31 = api.getOpenapi() != null && api.getOpenapi().startsWith("3.1");
        ObjectNode doc = (v31 ? Json31.mapper() : Json.mapper()).valueToTree(api);
        if (unknownFields == UnknownFields.REJECT) StrictSchemas.apply(doc);
        collectBasePaths(doc, bases);

        String uri = "https://spec.portcullis.invalid/" + index + ".json";
        String text;
        try {
            text = Json.mapper().writeValueAsString(doc);
        } catch (IOException e) {
            throw new SpecException(List.of(name + ": could not be serialized: " + e.getMessage()));
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(v31 ? OPENAPI_31 : OPENAPI_30,
                b -> b.schemas(Map.of(uri, text)).schemaLoader(l -> l.fetchRemoteResources(false)));

        Schema root;
        try {
            root = registry.getSchema(SchemaLocation.of(uri), doc);
        } catch (RuntimeException e) {
            throw new SpecException(List.of(name + ": cannot be compiled: " + firstLine(e.getMessage())));
        }
        var problems = new ArrayList<String>();
        var ops = new ArrayList<Operation>();
        collectOperations(root, doc, "paths", name, problems, ops);
        var hookOps = new ArrayList<Operation>();
        collectOperations(root, doc, "webhooks", name, problems, hookOps);
        var hooks = new LinkedHashMap<String, Operation>();
        for (Operation op : hookOps) {
            String hook = op.template().substring("webhook ".length());
            if (hooks.putIfAbsent(hook, op) != null) problems.add(name + ": webhook '" + hook + "' has more than one operation; only one is accepted");
        }
        if (!problems.isEmpty()) throw new SpecException(problems);
        return new Loaded(ops, hooks);
    }

    /** Operations of {@code paths:} (templates) or {@code webhooks:} (template {@code "webhook <name>"}). */
    private static void collectOperations(Schema root, ObjectNode doc, String section, String name, List<String> problems, List<Operation> ops) {
        boolean isHooks = section.equals("webhooks");
        JsonNode paths = doc.path(section);
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            var pe = it.next();
            String template = isHooks ? "webhook " + pe.getKey() : pe.getKey();
            String pathPtr = "/" + section + "/" + esc(pe.getKey());
            JsonNode pathItem = deref(doc, pe.getValue(), pathPtr).node;
            for (String method : METHODS) {
                JsonNode opNode = pathItem.get(method);
                if (opNode == null || !opNode.isObject()) continue;
                String opPtr = pathPtr + "/" + method;
                var responses = new LinkedHashMap<String, Map<String, Schema>>();
                for (Iterator<Map.Entry<String, JsonNode>> rs = opNode.path("responses").fields(); rs.hasNext(); ) {
                    var re = rs.next();
                    Ref resp = deref(doc, re.getValue(), opPtr + "/responses/" + esc(re.getKey()));
                    String statusKey = re.getKey().toUpperCase(Locale.ROOT).equals("DEFAULT") ? "default" : re.getKey().toUpperCase(Locale.ROOT);
                    responses.put(statusKey, compileContent(root, doc, resp, name, problems));
                }
                Map<String, Schema> reqBody = Map.of();
                boolean reqRequired = false;
                if (opNode.has("requestBody")) {
                    Ref rb = deref(doc, opNode.get("requestBody"), opPtr + "/requestBody");
                    reqBody = compileContent(root, doc, rb, name, problems);
                    reqRequired = rb.node.path("required").asBoolean(false);
                }
                var reqQuery = new ArrayList<String>();
                var reqHeaders = new ArrayList<String>();
                collectRequired(doc, pathItem.path("parameters"), reqQuery, reqHeaders);
                collectRequired(doc, opNode.path("parameters"), reqQuery, reqHeaders);
                var queryParams = new LinkedHashMap<String, QueryParameter>();
                collectQuery(root, doc, pathItem.path("parameters"), pathPtr + "/parameters", queryParams, name, problems);
                collectQuery(root, doc, opNode.path("parameters"), opPtr + "/parameters", queryParams, name, problems);
                ops.add(new Operation(method, template, name, responses, reqBody, reqRequired, List.copyOf(reqQuery), List.copyOf(reqHeaders),
                        Map.copyOf(queryParams)));
            }
        }
    }

    /** A query parameter with a schema: values are coerced from text by the schema's type, then validated. */
    record QueryParameter(String name, Schema schema, String type, String itemType, boolean explode) {
    }

    private static void collectQuery(Schema root, ObjectNode doc, JsonNode params, String ptr, Map<String, QueryParameter> out,
                                     String file, List<String> problems) {
        if (!params.isArray()) return;
        for (int i = 0; i < params.size(); i++) {
            Ref ref = deref(doc, params.get(i), ptr + "/" + i);
            JsonNode p = ref.node();
            if (!"query".equals(p.path("in").asText()) || !p.path("schema").isObject()) continue;
            String pname = p.path("name").asText("");
            if (pname.isEmpty()) continue;
            Ref schemaRef = deref(doc, p.get("schema"), ref.pointer() + "/schema");
            try {
                Schema sch = root.getSubSchema(pointer(doc, ref.pointer() + "/schema"));
                sch.initializeValidators();
                String type = typeOf(schemaRef.node());
                String itemType = typeOf(deref(doc, schemaRef.node().path("items"), "").node());
                out.put(pname, new QueryParameter(pname, sch, type, itemType, p.path("explode").asBoolean(true)));
            } catch (RuntimeException e) {
                problems.add(file + ": schema at " + ref.pointer() + "/schema cannot be compiled: " + firstLine(e.getMessage()));
            }
        }
    }

    private static String typeOf(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isTextual()) return t.asText();
        if (t.isArray()) for (JsonNode x : t) if (!"null".equals(x.asText())) return x.asText();
        return "";
    }

    /** Turns query text into the JSON value the parameter's schema describes (OpenAPI style {@code form}). */
    static JsonNode coerce(List<String> values, QueryParameter p) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (p.type().equals("array")) {
            var arr = f.arrayNode();
            List<String> items = values;
            if (!p.explode() && values.size() == 1) items = List.of(values.getFirst().split(",", -1));
            for (String v : items) arr.add(scalar(v, p.itemType()));
            return arr;
        }
        return scalar(values.getFirst(), p.type());
    }

    private static JsonNode scalar(String v, String type) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        try {
            return switch (type) {
                case "integer" -> v.matches("-?\\d{1,30}") ? f.numberNode(new java.math.BigInteger(v)) : f.textNode(v);
                case "number" -> v.length() <= 60 ? f.numberNode(new java.math.BigDecimal(v)) : f.textNode(v);
                case "boolean" -> v.equals("true") ? f.booleanNode(true) : v.equals("false") ? f.booleanNode(false) : f.textNode(v);
                default -> f.textNode(v);
            };
        } catch (NumberFormatException e) {
            return f.textNode(v);
        }
    }

    private static void collectRequired(ObjectNode doc, JsonNode params, List<String> query, List<String> headers) {
        if (!params.isArray()) return;
        for (JsonNode p : params) {
            JsonNode param = deref(doc, p, "").node;
            if (!param.path("required").asBoolean(false)) continue;
            String in = param.path("in").asText("");
            String pname = param.path("name").asText("");
            if (pname.isEmpty()) continue;
            if (in.equals("query") && !query.contains(pname)) query.add(pname);
            if (in.equals("header") && !headers.contains(pname)) headers.add(pname);
        }
    }

    /** A validator path for a JSON pointer into {@code doc}; array steps become indices, object steps names. */
    private static com.networknt.schema.path.NodePath pointer(JsonNode doc, String ptr) {
        var p = new com.networknt.schema.path.NodePath(com.networknt.schema.path.PathType.JSON_POINTER);
        JsonNode at = doc;
        for (String raw : ptr.substring(1).split("/", -1)) {
            String seg = raw.replace("~1", "/").replace("~0", "~");
            if (at != null && at.isArray()) {
                int i = Integer.parseInt(seg);
                p = p.append(i);
                at = at.get(i);
            } else {
                p = p.append(seg);
                at = at == null ? null : at.get(seg);
            }
        }
        return p;
    }

    private static Map<String, Schema> compileContent(Schema root, ObjectNode doc, Ref holder,
                                                      String file, List<String> problems) {
        var out = new LinkedHashMap<String, Schema>();
        JsonNode content = holder.node.path("content");
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            var me = it.next();
            String ptr = holder.pointer + "/content/" + esc(me.getKey()) + "/schema";
            JsonNode schemaNode = me.getValue().get("schema");
            if (schemaNode == null || !isJson(baseType(me.getKey())) && !baseType(me.getKey()).endsWith("/*")) {
                out.put(me.getKey(), null);
                continue;
            }
            try {
                // sub-schemas of the one document schema share its context, so each referenced component is
                // parsed once (asking the registry for uri#ptr re-reads the whole document per schema)
                Schema s = root.getSubSchema(pointer(doc, ptr));
                s.initializeValidators();
                out.put(me.getKey(), s);
            } catch (RuntimeException e) {
                problems.add(file + ": schema at " + ptr + " cannot be compiled: " + firstLine(e.getMessage()));
            }
        }
        return out;
    }

    private record Ref(JsonNode node, String pointer) {
    }

    /** Follows local {@code $ref}s (responses, request bodies, parameters, path items) up to a few hops. */
    private static Ref deref(ObjectNode doc, JsonNode node, String pointer) {
        JsonNode n = node;
        String ptr = pointer;
        for (int hops = 0; hops < 8 && n != null && n.has("$ref"); hops++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) break;
            ptr = ref.substring(1);
            n = doc.at(ptr);
        }
        return new Ref(n == null ? doc.missingNode() : n, ptr);
    }

    private static void collectBasePaths(ObjectNode doc, Set<String> bases) {
        JsonNode servers = doc.path("servers");
        if (!servers.isArray()) return;
        for (JsonNode s : servers) {
            String url = s.path("url").asText("");
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("variables").fields(); it.hasNext(); ) {
                var v = it.next();
                url = url.replace("{" + v.getKey() + "}", v.getValue().path("default").asText(""));
            }
            String path;
            try {
                path = url.startsWith("/") ? url : URI.create(url).getRawPath();
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (path == null) continue;
            while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            bases.add(path);
        }
    }

    /** {@code $.data[0].id} from a validator location; names are bounded to 64 characters. */
    static String jsonPath(com.networknt.schema.path.NodePath loc) {
        var sb = new StringBuilder("$");
        if (loc == null) return sb.toString();
        for (int i = 0; i < loc.getNameCount(); i++) {
            Object e = loc.getElement(i);
            if (e instanceof Integer idx) {
                sb.append('[').append(idx).append(']');
            } else {
                String n = String.valueOf(e);
                if (n.length() > 64) n = n.substring(0, 64) + "…";
                if (!n.isEmpty() && n.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) sb.append('.').append(n);
                else sb.append("['").append(n.replace("\\", "\\\\").replace("'", "\\'")).append("']");
            }
        }
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
