package io.portcullis.discovery.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.discovery.diff.Verdict;
import io.portcullis.discovery.traffic.LearnedOperation;
import io.portcullis.discovery.traffic.PathTemplate;
import io.portcullis.discovery.traffic.SegmentKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes what was learned about each host as an OpenAPI 3.1 document: paths with typed path parameters, query
 * parameters (required when every request carried them), observed statuses, media types and inferred JSON schemas,
 * plus {@code x-portcullis-*} extensions (request counts, first/last seen, apps, data classes, auth schemes, label).
 * Output is deterministic for a given inventory. Stateless and thread-safe.
 */
public final class OpenApiExporter {
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One document for the operations of one host. */
    public ObjectNode document(String host, List<LearnedOperation> ops, Map<LearnedOperation, Verdict> verdicts) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", host + " (observed by Portcullis)");
        info.put("version", "observed");
        info.put("description", "Operations learned from traffic; not the vendor's own specification.");
        doc.putArray("servers").addObject().put("url", "https://" + host);
        ObjectNode paths = doc.putObject("paths");
        TreeMap<String, List<LearnedOperation>> byPath = new TreeMap<>();
        for (LearnedOperation op : ops) byPath.computeIfAbsent(op.path().render(), k -> new ArrayList<>()).add(op);
        for (Map.Entry<String, List<LearnedOperation>> e : byPath.entrySet()) {
            ObjectNode item = paths.putObject(e.getKey());
            for (LearnedOperation op : e.getValue()) {
                item.set(op.method().toLowerCase(Locale.ROOT), operation(op, verdicts == null ? null : verdicts.get(op)));
            }
        }
        return doc;
    }

    /** Writes {@code DIR/<host>.openapi.json} for every host; returns the files written. */
    public List<Path> write(Path dir, List<LearnedOperation> ops, Map<LearnedOperation, Verdict> verdicts) throws IOException {
        Files.createDirectories(dir);
        TreeMap<String, List<LearnedOperation>> byHost = new TreeMap<>();
        for (LearnedOperation op : ops) byHost.computeIfAbsent(op.host(), k -> new ArrayList<>()).add(op);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<LearnedOperation>> e : byHost.entrySet()) {
            Path file = dir.resolve(fileName(e.getKey()));
            mapper.writeValue(file.toFile(), document(e.getKey(), e.getValue(), verdicts));
            written.add(file);
        }
        return written;
    }

    static String fileName(String host) {
        return host.replaceAll("[^A-Za-z0-9.-]", "_") + ".openapi.json";
    }

    private ObjectNode operation(LearnedOperation op, Verdict verdict) {
        ObjectNode o = mapper.createObjectNode();
        o.put("operationId", operationId(op));
        ArrayNode params = mapper.createArrayNode();
        for (PathTemplate.Segment s : op.path().segments()) {
            if (s instanceof PathTemplate.Param p) {
                ObjectNode param = params.addObject();
                param.put("name", p.name());
                param.put("in", "path");
                param.put("required", true);
                param.set("schema", paramSchema(p));
            }
        }
        op.queryParams().forEach((name, count) -> {
            ObjectNode param = params.addObject();
            param.put("name", name);
            param.put("in", "query");
            param.put("required", count == op.requests());
            param.putObject("schema").put("type", "string");
        });
        if (!params.isEmpty()) o.set("parameters", params);
        if (op.requestSchema() != null || !op.requestTypes().isEmpty()) {
            ObjectNode content = o.putObject("requestBody").putObject("content");
            List<String> types = op.requestTypes().isEmpty() ? List.of("application/json") : op.requestTypes();
            for (String t : types) {
                ObjectNode media = content.putObject(t);
                if (t.contains("json") && op.requestSchema() != null) media.set("schema", op.requestSchema());
            }
        }
        ObjectNode responses = o.putObject("responses");
        op.statuses().forEach((status, count) -> {
            String code = status == 0 ? "default" : Integer.toString(status);
            ObjectNode r = responses.putObject(code);
            r.put("description", "Observed " + count + " time" + (count == 1 ? "" : "s"));
            if (status >= 200 && status < 300 && !op.responseTypes().isEmpty()) {
                ObjectNode content = r.putObject("content");
                for (String t : op.responseTypes()) {
                    ObjectNode media = content.putObject(t);
                    if (t.contains("json") && op.responseSchema() != null) media.set("schema", op.responseSchema());
                }
            }
        });
        if (responses.isEmpty()) responses.putObject("default").put("description", "No response observed");
        if (op.deprecation() != null || op.sunset() != null) o.put("deprecated", true);
        o.put("x-portcullis-requests", op.requests());
        if (op.firstSeen() != 0) o.put("x-portcullis-first-seen", Instant.ofEpochMilli(op.firstSeen()).toString());
        if (op.lastSeen() != 0) o.put("x-portcullis-last-seen", Instant.ofEpochMilli(op.lastSeen()).toString());
        if (!op.apps().isEmpty()) o.set("x-portcullis-apps", mapper.valueToTree(op.apps()));
        if (!op.dataClasses().isEmpty()) o.set("x-portcullis-data-classes", mapper.valueToTree(op.dataClasses()));
        if (!op.authSchemes().isEmpty()) o.set("x-portcullis-auth-schemes", mapper.valueToTree(op.authSchemes()));
        if (verdict != null) {
            o.put("x-portcullis-label", verdict.label().wire());
            o.put("x-portcullis-reason", verdict.reason());
        }
        return o;
    }

    private ObjectNode paramSchema(PathTemplate.Param p) {
        ObjectNode s = mapper.createObjectNode();
        if (p.kinds().equals(java.util.Set.of(SegmentKind.INTEGER))) {
            s.put("type", "integer");
            return s;
        }
        s.put("type", "string");
        if (p.kinds().size() == 1) {
            switch (p.kinds().iterator().next()) {
                case UUID -> s.put("format", "uuid");
                case DATE -> s.put("format", "date");
                case EMAIL -> s.put("format", "email");
                default -> {
                }
            }
        }
        return s;
    }

    private static String operationId(LearnedOperation op) {
        StringBuilder sb = new StringBuilder(op.method().toLowerCase(Locale.ROOT));
        for (PathTemplate.Segment s : op.path().segments()) {
            String word = s instanceof PathTemplate.Literal l ? l.value() : "By" + ((PathTemplate.Param) s).name();
            boolean up = true;
            for (char c : word.toCharArray()) {
                if (!Character.isLetterOrDigit(c)) {
                    up = true;
                } else {
                    sb.append(up ? Character.toUpperCase(c) : c);
                    up = false;
                }
            }
        }
        return sb.toString();
    }
}
