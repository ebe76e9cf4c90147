package io.portcullis.discovery.har;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-traffic generator: turns an OpenAPI spec into a HAR 1.2 document of realistic calls. Operations get a Zipf
 * spread (rank {@code k} has weight {@code 1/k^s} over a seeded random order, so many are seen once or twice);
 * path parameters take values shaped like the spec's example (a Stripe {@code cus_…} ID stays {@code cus_} plus
 * random characters of the same classes, a Twilio SID keeps its two-letter type and hex body, numbers keep their
 * magnitude) or like the schema's type/format, drawn from a per-parameter pool of 1 to 50 values (an app that always
 * uses the same account SID is realistic). Bodies follow the documented schemas; a share of deprecated operations
 * answer with a {@code Deprecation} header. Deterministic for a given seed.
 */
public final class HarTrafficGenerator {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int[] POOL_SIZES = {1, 3, 10, 50};
    private static final String[] APPS = {"billing-svc", "checkout-web", "crm-sync", "support-bot"};

    /** One documented operation and how many requests the generator made to it. */
    public record TruthOperation(String host, String method, String path, boolean deprecated, boolean superseded,
                                 boolean sendsDeprecationHeader, int requests, Operation operation) {
        public String key() {
            return host + " " + method + " " + io.portcullis.discovery.traffic.PathTemplate.parse(path).shape();
        }
    }

    public record Generated(OpenAPI spec, ObjectNode har, List<TruthOperation> truth) {
    }

    private final Random rnd;
    private final Map<String, List<String>> pools = new HashMap<>();

    private HarTrafficGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    public static OpenAPI parse(Path spec) {
        ParseOptions o = new ParseOptions();
        o.setResolve(true);
        o.setResolveFully(true);
        OpenAPI api = new OpenAPIParser().readLocation(spec.toAbsolutePath().toUri().toString(), null, o).getOpenAPI();
        if (api == null) throw new IllegalArgumentException("not a spec: " + spec);
        return api;
    }

    public static Generated generate(Path spec, long seed, int requests, double zipfS) {
        return new HarTrafficGenerator(seed).run(parse(spec), requests, zipfS);
    }

    private Generated run(OpenAPI api, int requests, double zipfS) {
        URI server = URI.create(api.getServers().getFirst().getUrl());
        String host = server.getHost();
        String base = server.getPath() == null ? "" : server.getPath().replaceAll("/$", "");
        List<Object[]> ops = new ArrayList<>(); // path, method, operation
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> m : e.getValue().readOperationsMap().entrySet()) {
                ops.add(new Object[] {base + e.getKey(), m.getKey().name(), m.getValue()});
            }
        }
        Collections.shuffle(ops, rnd);
        double[] cumulative = new double[ops.size()];
        double sum = 0;
        for (int k = 0; k < ops.size(); k++) {
            sum += 1.0 / Math.pow(k + 1, zipfS);
            cumulative[k] = sum;
        }
        boolean[] header = new boolean[ops.size()];
        for (int k = 0; k < ops.size(); k++) header[k] = rnd.nextBoolean();
        int[] counts = new int[ops.size()];
        ObjectNode har = F.objectNode();
        ObjectNode log = har.putObject("log");
        log.put("version", "1.2");
        log.putObject("creator").put("name", "portcullis-test-generator").put("version", "1");
        ArrayNode entries = log.putArray("entries");
        long t = Instant.parse("2026-11-01T08:00:00Z").toEpochMilli();
        for (int i = 0; i < requests; i++) {
            double u = rnd.nextDouble() * sum;
            int k = 0;
            while (cumulative[k] < u) k++;
            counts[k]++;
            Object[] op = ops.get(k);
            t += 1 + rnd.nextInt(30_000);
            Operation operation = (Operation) op[2];
            boolean deprecated = Boolean.TRUE.equals(operation.getDeprecated());
            entries.add(entry(host, (String) op[0], (String) op[1], operation, t, deprecated && header[k]));
        }
        List<TruthOperation> truth = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
            Operation operation = (Operation) ops.get(k)[2];
            boolean superseded = operation.getExtensions() != null && operation.getExtensions().containsKey("x-superseded-by");
            boolean deprecated = Boolean.TRUE.equals(operation.getDeprecated());
            truth.add(new TruthOperation(host, (String) ops.get(k)[1], (String) ops.get(k)[0], deprecated, superseded,
                    deprecated && header[k], counts[k], operation));
        }
        return new Generated(api, har, truth);
    }

    private ObjectNode entry(String host, String template, String method, Operation op, long t, boolean deprecationHeader) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        if (op.getParameters() != null) for (Parameter p : op.getParameters()) byName.put(p.getIn() + ":" + p.getName(), p);
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                path.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            path.append(template, i, open);
            String name = template.substring(open + 1, close);
            path.append(value(host + template + name, byName.get("path:" + name)));
            i = close + 1;
        }
        ObjectNode e = F.objectNode();
        e.put("startedDateTime", Instant.ofEpochMilli(t).toString());
        e.put("time", 50 + rnd.nextInt(400));
        e.put("_portcullis_app", APPS[rnd.nextInt(APPS.length)]);
        ObjectNode req = e.putObject("request");
        req.put("method", method);
        ArrayNode qs = req.putArray("queryString");
        StringBuilder query = new StringBuilder();
        for (Parameter p : byName.values()) {
            if (!"query".equals(p.getIn()) || rnd.nextInt(10) >= 3) continue;
            String v = Integer.toString(rnd.nextInt(100));
            qs.addObject().put("name", p.getName()).put("value", v);
            query.append(query.isEmpty() ? '?' : '&').append(p.getName()).append('=').append(v);
        }
        req.put("url", "https://" + host + path + query);
        req.put("httpVersion", "HTTP/1.1");
        ArrayNode headers = req.putArray("headers");
        headers.addObject().put("name", "Host").put("value", host);
        headers.addObject().put("name", "Authorization").put("value", "Bearer " + randomToken(32));
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            Map.Entry<String, MediaType> c = op.getRequestBody().getContent().entrySet().iterator().next();
            headers.addObject().put("name", "Content-Type").put("value", c.getKey());
            ObjectNode post = req.putObject("postData");
            post.put("mimeType", c.getKey());
            if (c.getKey().contains("json")) post.put("text", body(c.getValue().getSchema(), 0).toString());
            else post.put("text", "Body=hello&To=%2B14155550100");
        }
        ObjectNode resp = e.putObject("response");
        int roll = rnd.nextInt(100);
        int status = roll < 90 ? 200 : roll < 95 ? 404 : roll < 98 ? 400 : 429;
        resp.put("status", status);
        resp.put("statusText", status == 200 ? "OK" : "Error");
        ArrayNode rh = resp.putArray("headers");
        rh.addObject().put("name", "Content-Type").put("value", "application/json; charset=utf-8");
        if (deprecationHeader) {
            rh.addObject().put("name", "Deprecation").put("value", "@1735689600");
            rh.addObject().put("name", "Sunset").put("value", "Wed, 31 Dec 2026 23:59:59 GMT");
        }
        ObjectNode content = resp.putObject("content");
        content.put("mimeType", "application/json");
        JsonNode body = F.objectNode().put("error", "not_found");
        if (status == 200) {
            Schema<?> schema = null;
            if (op.getResponses() != null && op.getResponses().get("200") != null && op.getResponses().get("200").getContent() != null) {
                MediaType mt = op.getResponses().get("200").getContent().get("application/json");
                if (mt != null) schema = mt.getSchema();
            }
            body = schema == null ? F.objectNode().put("ok", true) : body(schema, 0);
        }
        content.put("text", body.toString());
        content.put("size", body.toString().length());
        return e;
    }

    private String value(String key, Parameter p) {
        List<String> pool = pools.get(key);
        if (pool == null) {
            int size = POOL_SIZES[rnd.nextInt(POOL_SIZES.length)];
            pool = new ArrayList<>();
            for (int i = 0; i < size; i++) pool.add(fresh(p));
            pools.put(key, pool);
        }
        return pool.get(rnd.nextInt(pool.size()));
    }

    private String fresh(Parameter p) {
        Object example = p == null ? null : p.getExample();
        Schema<?> s = p == null ? null : p.getSchema();
        String format = s == null ? null : s.getFormat();
        String type = s == null ? "string" : s.getType();
        if ("email".equals(format)) return randomWord(6) + "." + randomWord(5) + "@" + randomWord(7) + ".com";
        if ("date".equals(format)) return String.format("20%02d-%02d-%02d", 20 + rnd.nextInt(6), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        if ("uuid".equals(format) && example != null && !example.toString().contains("-")) return shaped(example.toString());
        if ("uuid".equals(format)) return java.util.UUID.nameUUIDFromBytes(randomToken(16).getBytes()).toString();
        if ("integer".equals(type)) {
            int digits = example == null ? 6 : Math.max(1, example.toString().length() + rnd.nextInt(3) - 1);
            long v = 1 + (long) (rnd.nextDouble() * Math.pow(10, Math.min(digits, 17)));
            return Long.toString(v);
        }
        if (example != null) return shaped(example.toString());
        return randomToken(12);
    }

    /** Same shape as the example: type prefix kept ({@code cus_}, {@code AC}), each other character replaced in class. */
    String shaped(String example) {
        int keep = 0;
        int us = example.lastIndexOf('_');
        if (us > 0 && us < example.length() - 4) keep = us + 1;
        else if (example.length() == 34 && Character.isUpperCase(example.charAt(0)) && Character.isUpperCase(example.charAt(1))) keep = 2;
        String body = example.substring(keep);
        boolean hex = body.chars().allMatch(c -> Character.isDigit(c) || (c >= 'a' && c <= 'f'));
        StringBuilder sb = new StringBuilder(example.substring(0, keep));
        for (char c : body.toCharArray()) {
            if (Character.isDigit(c)) sb.append((char) ('0' + rnd.nextInt(10)));
            else if (c >= 'a' && c <= 'z') sb.append(hex ? "abcdef".charAt(rnd.nextInt(6)) : (char) ('a' + rnd.nextInt(26)));
            else if (c >= 'A' && c <= 'Z') sb.append((char) ('A' + rnd.nextInt(26)));
            else sb.append(c);
        }
        return sb.toString();
    }

    @SuppressWarnings("rawtypes") // swagger-models exposes raw Schema in getProperties()
    private JsonNode body(Schema<?> s, int depth) {
        if (s == null || depth > 4) return F.nullNode();
        String type = s.getType() != null ? s.getType() : s.getProperties() != null ? "object" : "string";
        switch (type) {
            case "object": {
                ObjectNode o = F.objectNode();
                if (s.getProperties() != null) {
                    for (Map.Entry<String, Schema> e : s.getProperties().entrySet()) {
                        boolean required = s.getRequired() != null && s.getRequired().contains(e.getKey());
                        if (required || rnd.nextInt(10) < 8) o.set(e.getKey(), body(e.getValue(), depth + 1));
                    }
                }
                return o;
            }
            case "array": {
                ArrayNode a = F.arrayNode();
                int n = rnd.nextInt(3);
                for (int i = 0; i < n; i++) a.add(body(s.getItems(), depth + 1));
                return a;
            }
            case "integer":
                return F.numberNode(rnd.nextInt(100_000));
            case "number":
                return F.numberNode(rnd.nextDouble() * 100);
            case "boolean":
                return F.booleanNode(rnd.nextBoolean());
            default:
                return F.textNode(randomWord(8));
        }
    }

    private String randomWord(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(26)));
        return sb.toString();
    }

    private String randomToken(int n) {
        String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(abc.charAt(rnd.nextInt(abc.length())));
        return sb.toString();
    }

    public static byte[] toBytes(ObjectNode har) {
        try {
            return new ObjectMapper().writeValueAsBytes(har);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
