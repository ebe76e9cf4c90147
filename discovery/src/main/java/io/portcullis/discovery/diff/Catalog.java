package io.portcullis.discovery.diff;

import io.portcullis.discovery.traffic.PathTemplate;
import io.portcullis.discovery.traffic.SegmentKind;
import io.portcullis.discovery.traffic.SegmentTyper;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The documented side of the comparison: every operation of the vendor specs given, indexed per host in a
 * {@link PathTrie}. Specs are OpenAPI 3.0/3.1 or Swagger 2.0 (converted by swagger-parser), JSON or YAML.
 * Immutable after construction.
 */
public final class Catalog {
    private final List<CatalogOperation> operations;
    private final Map<String, PathTrie<CatalogOperation>> byHost = new HashMap<>();
    private final Map<String, List<VersionedOperation>> byResource = new HashMap<>();
    private final List<String> warnings;

    record VersionedOperation(Version version, CatalogOperation operation) {
    }

    public Catalog(Collection<CatalogOperation> operations, List<String> warnings) {
        this.operations = List.copyOf(operations);
        this.warnings = List.copyOf(warnings);
        for (CatalogOperation op : this.operations) {
            byHost.computeIfAbsent(op.host(), h -> new PathTrie<>()).insert(op.path(), op.method(), op);
            ResourceKey key = ResourceKey.of(op.host(), op.method(), op.path());
            if (key.version() != null) {
                byResource.computeIfAbsent(key.key(), k -> new ArrayList<>()).add(new VersionedOperation(key.version(), op));
            }
        }
    }

    public static Catalog empty() {
        return new Catalog(List.of(), List.of());
    }

    public List<CatalogOperation> operations() {
        return operations;
    }

    /** Things the loader noticed but could work around (no absolute server URL, parser warnings). */
    public List<String> warnings() {
        return warnings;
    }

    public boolean knowsHost(String host) {
        return byHost.containsKey(host);
    }

    PathTrie<CatalogOperation> trie(String host) {
        return byHost.get(host);
    }

    /** The newest documented version of the same resource and method, when it is newer than {@code version}. */
    CatalogOperation newerVersion(ResourceKey key) {
        if (key.version() == null) return null;
        List<VersionedOperation> list = byResource.get(key.key());
        if (list == null) return null;
        VersionedOperation best = null;
        for (VersionedOperation v : list) {
            if (v.version().compareTo(key.version()) > 0 && (best == null || v.version().compareTo(best.version()) > 0)) best = v;
        }
        return best == null ? null : best.operation();
    }

    /** Loads specs from files. */
    public static Catalog load(List<Path> specs) throws CatalogException {
        List<CatalogOperation> ops = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path spec : specs) {
            if (!Files.isRegularFile(spec)) throw new CatalogException(spec + ": no such spec file");
            OpenAPI api = parse(spec, warnings);
            ops.addAll(operationsOf(api, spec.getFileName().toString(), warnings));
        }
        return new Catalog(ops, warnings);
    }

    private static OpenAPI parse(Path spec, List<String> warnings) throws CatalogException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result;
        try {
            result = new OpenAPIParser().readLocation(spec.toAbsolutePath().toUri().toString(), null, options);
        } catch (RuntimeException e) {
            throw new CatalogException(spec + ": cannot parse spec (" + e.getClass().getSimpleName() + ")");
        }
        if (result == null || result.getOpenAPI() == null || result.getOpenAPI().getPaths() == null) {
            List<String> msgs = result == null || result.getMessages() == null ? List.of() : result.getMessages();
            throw new CatalogException(spec + ": not an OpenAPI 3.x or Swagger 2.0 document"
                    + (msgs.isEmpty() ? "" : ": " + String.join("; ", msgs.subList(0, Math.min(3, msgs.size())))));
        }
        return result.getOpenAPI();
    }

    /** Lists the operations of an already-parsed spec (used by the loader and by tests that edit a spec in memory). */
    public static List<CatalogOperation> operationsOf(OpenAPI api, String source, List<String> warnings) {
        String title = api.getInfo() != null && api.getInfo().getTitle() != null ? api.getInfo().getTitle() : source;
        Map<String, String> bases = new LinkedHashMap<>(); // host -> base path
        if (api.getServers() != null) {
            for (Server s : api.getServers()) {
                String url = expand(s);
                try {
                    URI u = URI.create(url);
                    if (u.getHost() == null) continue;
                    String scheme = u.getScheme() == null ? "https" : u.getScheme().toLowerCase(Locale.ROOT);
                    String host = u.getHost().toLowerCase(Locale.ROOT);
                    int port = u.getPort();
                    if (port > 0 && !((port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http")))) host += ":" + port;
                    String base = u.getRawPath() == null ? "" : u.getRawPath();
                    while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
                    bases.putIfAbsent(host, base);
                } catch (IllegalArgumentException e) {
                    warnings.add(source + ": server URL '" + url + "' is not a URL; skipped");
                }
            }
        }
        List<CatalogOperation> out = new ArrayList<>();
        if (bases.isEmpty()) {
            warnings.add(source + ": no absolute server URL, so its operations cannot be matched to traffic; add servers: [{url: https://HOST/BASE}]");
            return out;
        }
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> m : e.getValue().readOperationsMap().entrySet()) {
                Operation op = m.getValue();
                DocumentedSchema response = documentedResponse(op);
                DocumentedSchema request = op.getRequestBody() == null ? null : jsonSchema(op.getRequestBody().getContent());
                Map<String, Set<SegmentKind>> kinds = parameterKinds(e.getValue(), op);
                for (Map.Entry<String, String> hb : bases.entrySet()) {
                    PathTemplate t = withKinds(PathTemplate.parse(hb.getValue() + e.getKey()), kinds);
                    out.add(new CatalogOperation(title, source, hb.getKey(), m.getKey().name(), t, op.getOperationId(),
                            Boolean.TRUE.equals(op.getDeprecated()), response, request));
                }
            }
        }
        return out;
    }

    /**
     * What the documented values of each path parameter look like: from the schema's type/format, else by typing the
     * documented example with {@link SegmentTyper}. Parameters with neither are absent (unknown).
     */
    private static Map<String, Set<SegmentKind>> parameterKinds(PathItem item, Operation op) {
        Map<String, Set<SegmentKind>> out = new HashMap<>();
        List<io.swagger.v3.oas.models.parameters.Parameter> all = new ArrayList<>();
        if (item.getParameters() != null) all.addAll(item.getParameters());
        if (op.getParameters() != null) all.addAll(op.getParameters());
        for (io.swagger.v3.oas.models.parameters.Parameter p : all) {
            if (!"path".equals(p.getIn()) || p.getName() == null) continue;
            io.swagger.v3.oas.models.media.Schema<?> s = p.getSchema();
            String type = s == null ? null : s.getType() != null ? s.getType()
                    : s.getTypes() != null && !s.getTypes().isEmpty() ? s.getTypes().iterator().next() : null;
            String format = s == null ? null : s.getFormat();
            Object example = p.getExample() != null ? p.getExample() : s != null ? s.getExample() : null;
            SegmentKind kind = null;
            if ("integer".equals(type)) kind = SegmentKind.INTEGER;
            else if ("uuid".equals(format)) kind = SegmentKind.UUID;
            else if ("date".equals(format) || "date-time".equals(format)) kind = SegmentKind.DATE;
            else if ("email".equals(format)) kind = SegmentKind.EMAIL;
            else if (example != null && !example.toString().isEmpty()) {
                SegmentKind k = SegmentTyper.classify(example.toString(), 1, null, true);
                kind = k == SegmentKind.VERSION ? SegmentKind.WORD : k;
            }
            if (kind != null) out.put(p.getName(), Set.of(kind));
        }
        return out;
    }

    private static PathTemplate withKinds(PathTemplate t, Map<String, Set<SegmentKind>> kinds) {
        if (kinds.isEmpty()) return t;
        List<PathTemplate.Segment> segs = new ArrayList<>();
        for (PathTemplate.Segment s : t.segments()) {
            if (s instanceof PathTemplate.Param p && kinds.containsKey(p.name())) {
                segs.add(new PathTemplate.Param(p.name(), kinds.get(p.name()), p.prefix(), p.suffix()));
            } else {
                segs.add(s);
            }
        }
        return new PathTemplate(segs);
    }

    private static String expand(Server s) {
        String url = s.getUrl() == null ? "" : s.getUrl();
        if (s.getVariables() != null) {
            for (Map.Entry<String, ServerVariable> v : s.getVariables().entrySet()) {
                String def = v.getValue().getDefault();
                if (def != null) url = url.replace("{" + v.getKey() + "}", def);
            }
        }
        return url;
    }

    private static DocumentedSchema documentedResponse(Operation op) {
        if (op.getResponses() == null) return null;
        for (Map.Entry<String, ApiResponse> r : op.getResponses().entrySet()) {
            if (r.getKey().startsWith("2") && r.getValue() != null) {
                DocumentedSchema d = jsonSchema(r.getValue().getContent());
                if (d != null) return d;
            }
        }
        return null;
    }

    private static DocumentedSchema jsonSchema(Content content) {
        if (content == null) return null;
        for (Map.Entry<String, MediaType> c : content.entrySet()) {
            if (c.getKey().contains("json") && c.getValue() != null && c.getValue().getSchema() != null) {
                return DocumentedSchema.of(c.getValue().getSchema());
            }
        }
        return null;
    }

    /**
     * A resource identity across versions: host, method and the path shape with its version segment replaced, e.g.
     * {@code GET api.example.com /{v}/customers/{}} for both {@code /v1/customers/{id}} and {@code /v2/customers/{id}}.
     */
    record ResourceKey(String key, Version version) {
        static ResourceKey of(String host, String method, PathTemplate path) {
            StringBuilder sb = new StringBuilder(host).append(' ').append(method).append(' ');
            Version version = null;
            boolean afterParam = false;
            String prev = null;
            int index = 0;
            for (PathTemplate.Segment s : path.segments()) {
                sb.append('/');
                if (s instanceof PathTemplate.Literal l) {
                    if (version == null && SegmentTyper.classify(l.value(), index, prev, afterParam) == SegmentKind.VERSION) {
                        version = Version.parse(l.value());
                        sb.append("{v}");
                    } else {
                        sb.append(l.value());
                    }
                    prev = l.value();
                } else if (s instanceof PathTemplate.Param p) {
                    sb.append(p.prefix()).append("{}").append(p.suffix());
                    afterParam = true;
                    prev = null;
                }
                index++;
            }
            return new ResourceKey(sb.toString(), version);
        }
    }

    /** A comparable API version: {@code v1 < v1.1 < v2beta1 < v2}, {@code 2010-04-01 < 2024-06-20}. */
    record Version(String text, List<Integer> numbers, boolean preRelease) implements Comparable<Version> {
        static Version parse(String s) {
            List<Integer> nums = new ArrayList<>();
            int i = 0;
            boolean pre = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isDigit(c)) {
                    int j = i;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                    if (!pre) nums.add(Integer.parseInt(s.substring(i, Math.min(j, i + 9))));
                    i = j;
                } else {
                    if (Character.isLetter(c) && i > 0) pre = true; // v2beta1: letters after the number
                    i++;
                }
            }
            return new Version(s, List.copyOf(nums), pre);
        }

        @Override
        public int compareTo(Version o) {
            for (int i = 0; i < Math.max(numbers.size(), o.numbers.size()); i++) {
                int a = i < numbers.size() ? numbers.get(i) : 0;
                int b = i < o.numbers.size() ? o.numbers.get(i) : 0;
                if (a != b) return Integer.compare(a, b);
            }
            return Boolean.compare(o.preRelease, preRelease);
        }
    }

    static Set<String> hostsOf(Collection<CatalogOperation> ops) {
        java.util.TreeSet<String> s = new java.util.TreeSet<>();
        for (CatalogOperation o : ops) s.add(o.host());
        return s;
    }
}
