package io.portcullis.discovery.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vendor registry: which hosts, packages and imports belong to which third-party vendor.
 *
 * <p>Guarantees: loading validates the whole file (unknown ecosystems or languages, malformed host patterns,
 * a host or package claimed by two vendors are rejected with the offending value named). Lookups are
 * thread-safe, allocation-light (memoised) and never throw on arbitrary input. Host matching is
 * case-insensitive; an exact host wins over a wildcard, and a longer wildcard suffix over a shorter one.
 */
public final class VendorRegistry {
    /** Classpath location of the registry shipped with Portcullis. */
    public static final String BUNDLED = "/registry/vendors.json";
    private static final int CACHE_LIMIT = 100_000;

    private final Map<String, Vendor> byId = new LinkedHashMap<>();
    private final Map<String, Vendor> exactApi = new HashMap<>();
    private final Map<String, List<Map.Entry<String, Vendor>>> pathApi = new HashMap<>();
    private final Map<String, Vendor> exactWeb = new HashMap<>();
    private final Set<String> exactNotApi = new HashSet<>();
    private final Map<String, Vendor> wildApi = new HashMap<>();
    private final Map<String, Vendor> wildWeb = new HashMap<>();
    private final Set<String> wildNotApi = new HashSet<>();
    private final Map<Ecosystem, NameIndex> packages = new EnumMap<>(Ecosystem.class);
    private final Map<SourceLanguage, NameIndex> imports = new EnumMap<>(SourceLanguage.class);
    private final ConcurrentHashMap<String, HostClass> hostCache = new ConcurrentHashMap<>();

    private VendorRegistry() {
        packages.put(Ecosystem.MAVEN, new NameIndex((char) 0));
        packages.put(Ecosystem.NPM, new NameIndex((char) 0));
        packages.put(Ecosystem.PYPI, new NameIndex((char) 0));
        packages.put(Ecosystem.GO, new NameIndex('/'));
        packages.put(Ecosystem.RUBYGEMS, new NameIndex((char) 0));
        packages.put(Ecosystem.COMPOSER, new NameIndex((char) 0));
        packages.put(Ecosystem.NUGET, new NameIndex((char) 0));
        for (SourceLanguage lang : SourceLanguage.values()) {
            if (lang.key() != null) {
                imports.put(lang, new NameIndex(lang.separator()));
            }
        }
    }

    /** The registry shipped in Portcullis' resources. */
    public static VendorRegistry bundled() {
        try (InputStream in = VendorRegistry.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("vendor registry " + BUNDLED + " is missing from the classpath");
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vendor registry " + BUNDLED, e);
        }
    }

    /** Loads and validates a registry file; throws {@link IllegalArgumentException} naming the first problem. */
    public static VendorRegistry load(InputStream json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("vendor registry is not valid JSON: " + e.getOriginalMessage());
        }
        VendorRegistry registry = new VendorRegistry();
        for (JsonNode host : root.path("nonApiHosts")) {
            registry.addNotApi(host.asText());
        }
        if (!root.path("vendors").isArray()) {
            throw new IllegalArgumentException("vendor registry has no 'vendors' array");
        }
        for (JsonNode node : root.path("vendors")) {
            registry.addVendor(parseVendor(node));
        }
        return registry;
    }

    private static Vendor parseVendor(JsonNode node) {
        String id = text(node, "id", null);
        String name = text(node, "name", id);
        Map<Ecosystem, List<String>> packages = new EnumMap<>(Ecosystem.class);
        node.path("packages").properties().forEach(e -> packages.put(Ecosystem.fromKey(e.getKey()), strings(e.getValue())));
        Map<SourceLanguage, List<String>> imports = new EnumMap<>(SourceLanguage.class);
        node.path("imports").properties().forEach(e -> imports.put(language(id, e.getKey()), strings(e.getValue())));
        List<String> apiHosts = strings(node.path("apiHosts"));
        if (apiHosts.isEmpty()) {
            throw new IllegalArgumentException("vendor '" + id + "' lists no apiHosts");
        }
        return new Vendor(id, name, text(node, "category", "other"), apiHosts, strings(node.path("webHosts")),
                text(node, "docs", null), text(node, "status", null), packages, imports);
    }

    private static SourceLanguage language(String vendor, String key) {
        for (SourceLanguage lang : SourceLanguage.values()) {
            if (key.equals(lang.key())) {
                return lang;
            }
        }
        throw new IllegalArgumentException("vendor '" + vendor + "': unknown import language '" + key + "' (expected java, python, ruby, php or csharp)");
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            if (fallback == null && field.equals("id")) {
                throw new IllegalArgumentException("vendor registry entry without an 'id': " + node.toString().substring(0, Math.min(80, node.toString().length())));
            }
            return fallback;
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    private void addVendor(Vendor v) {
        if (byId.putIfAbsent(v.id(), v) != null) {
            throw new IllegalArgumentException("vendor id '" + v.id() + "' appears twice");
        }
        for (String pattern : v.apiHosts()) {
            String host = checkHostPattern(v, pattern);
            int slash = host.indexOf('/');
            if (slash > 0) {
                pathApi.computeIfAbsent(host.substring(0, slash), k -> new ArrayList<>()).add(Map.entry(host.substring(slash), v));
            } else if (host.startsWith("*.")) {
                claim(wildApi, host.substring(2), v);
            } else {
                claim(exactApi, host, v);
            }
        }
        for (String pattern : v.webHosts()) {
            String host = checkHostPattern(v, pattern);
            if (host.indexOf('/') > 0) {
                throw new IllegalArgumentException("vendor '" + v.id() + "': webHosts take no path ('" + pattern + "')");
            }
            if (host.startsWith("*.")) {
                claim(wildWeb, host.substring(2), v);
            } else {
                claim(exactWeb, host, v);
            }
        }
        v.packages().forEach((eco, names) -> names.forEach(n -> {
            if (eco == Ecosystem.MAVEN && !n.contains(":")) {
                throw new IllegalArgumentException("vendor '" + v.id() + "': maven package '" + n + "' must be groupId:artifactId (or groupId:*)");
            }
            packages.get(eco).add(eco.normalize(n), v);
        }));
        v.imports().forEach((lang, names) -> names.forEach(n -> imports.get(lang).add(n, v)));
    }

    private static String checkHostPattern(Vendor v, String pattern) {
        String host = pattern.toLowerCase(Locale.ROOT);
        if (!host.equals(pattern) || host.isBlank() || host.indexOf('*', 1) >= 0 || (host.startsWith("*") && !host.startsWith("*."))
                || host.contains("://") || host.contains(" ")) {
            throw new IllegalArgumentException("vendor '" + v.id() + "': bad host pattern '" + pattern
                    + "' (write a lowercase host, '*.suffix' or 'host/pathPrefix')");
        }
        return host;
    }

    private static void claim(Map<String, Vendor> map, String key, Vendor v) {
        Vendor previous = map.putIfAbsent(key, v);
        if (previous != null) {
            throw new IllegalArgumentException("host '" + key + "' is claimed by both '" + previous.id() + "' and '" + v.id() + "'");
        }
    }

    private void addNotApi(String pattern) {
        String host = pattern.toLowerCase(Locale.ROOT);
        if (host.startsWith("*.")) {
            wildNotApi.add(host.substring(2));
        } else {
            exactNotApi.add(host);
        }
    }

    public Collection<Vendor> vendors() {
        return byId.values();
    }

    public Optional<Vendor> vendor(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The vendor publishing a package, if the registry lists it. */
    public Optional<Vendor> vendorForPackage(Ecosystem ecosystem, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        return packages.get(ecosystem).lookup(ecosystem.normalize(name));
    }

    /**
     * The vendor whose SDK a source import refers to. For JavaScript the module is an npm specifier
     * ({@code @scope/pkg/deep/path} is reduced to {@code @scope/pkg}); for Go it is an import path.
     */
    public Optional<Vendor> vendorForImport(SourceLanguage language, String module) {
        if (module == null || module.isEmpty()) {
            return Optional.empty();
        }
        return switch (language) {
            case JAVASCRIPT -> {
                String pkg = npmPackageOf(module);
                yield pkg == null ? Optional.empty() : packages.get(Ecosystem.NPM).lookup(pkg);
            }
            case GO -> packages.get(Ecosystem.GO).lookup(module);
            default -> imports.get(language).lookup(module);
        };
    }

    /** The npm package named by an import specifier, or null for relative paths and built-ins like {@code node:fs}. */
    public static String npmPackageOf(String specifier) {
        if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.contains(":")) {
            return null;
        }
        int slash = specifier.indexOf('/');
        if (specifier.startsWith("@")) {
            if (slash < 0) {
                return null;
            }
            int second = specifier.indexOf('/', slash + 1);
            return second < 0 ? specifier : specifier.substring(0, second);
        }
        return slash < 0 ? specifier : specifier.substring(0, slash);
    }

    /**
     * Classifies a host (and the path requested on it, which may be empty) seen in code or traffic.
     * The host may carry a trailing dot or uppercase letters; IP literals of loopback and private ranges
     * are {@link HostClass.NotApi}.
     */
    public HostClass classify(String host, String path) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        List<Map.Entry<String, Vendor>> withPath = pathApi.get(h);
        if (withPath != null && path != null) {
            for (Map.Entry<String, Vendor> e : withPath) {
                String prefix = e.getKey();
                if (path.startsWith(prefix) && (path.length() == prefix.length() || "/?#".indexOf(path.charAt(prefix.length())) >= 0)) {
                    return new HostClass.Api(e.getValue());
                }
            }
        }
        HostClass c = hostCache.get(h);
        if (c == null) {
            c = classifyHost(h);
            if (hostCache.size() >= CACHE_LIMIT) {
                hostCache.clear();
            }
            hostCache.put(h, c);
        }
        return c;
    }

    private HostClass classifyHost(String h) {
        Vendor v = exactApi.get(h);
        if (v != null) {
            return new HostClass.Api(v);
        }
        v = exactWeb.get(h);
        if (v != null) {
            return new HostClass.Web(v);
        }
        if (exactNotApi.contains(h) || isLocalAddress(h)) {
            return HostClass.NOT_API;
        }
        if (pathApi.containsKey(h)) { // the host serves an API only under a path we did not see
            return new HostClass.Web(pathApi.get(h).get(0).getValue());
        }
        for (int dot = h.indexOf('.'); dot > 0; dot = h.indexOf('.', dot + 1)) {
            String suffix = h.substring(dot + 1);
            if ((v = wildWeb.get(suffix)) != null) {
                return new HostClass.Web(v);
            }
            if ((v = wildApi.get(suffix)) != null) {
                return new HostClass.Api(v);
            }
            if (wildNotApi.contains(suffix)) {
                return HostClass.NOT_API;
            }
        }
        return HostClass.UNKNOWN;
    }

    /** True for loopback, private, link-local and unspecified IPv4 literals, and for IPv6 literals. */
    static boolean isLocalAddress(String h) {
        if (h.startsWith("[")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return false;
            }
            o[i] = Integer.parseInt(parts[i]);
            if (o[i] > 255) {
                return false;
            }
        }
        return o[0] == 127 || o[0] == 10 || o[0] == 0 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
                || (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254);
    }

    /** The top-level labels (TLDs) of every API host in the registry, for cheap prefiltering of bare host names. */
    public Set<String> apiTopLevelLabels() {
        Set<String> tlds = new HashSet<>();
        for (String h : exactApi.keySet()) {
            tlds.add(h.substring(h.lastIndexOf('.') + 1));
        }
        for (String h : wildApi.keySet()) {
            tlds.add(h.substring(h.lastIndexOf('.') + 1));
        }
        for (String h : pathApi.keySet()) {
            tlds.add(h.substring(h.lastIndexOf('.') + 1));
        }
        return tlds;
    }
}
