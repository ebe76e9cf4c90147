package io.portcullis.core.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code portcullis.yaml}. Strict: unknown keys, wrong types, dangling references,
 * duplicate names and routes, plain-http upstreams without opt-in, malformed pins and digests, and
 * missing files are all rejected, each with {@code file:line:column} and what to write instead.
 * A load either returns a complete {@link PortcullisConfig} or throws {@link ConfigException} listing
 * every problem; it never returns a partial configuration.
 */
public final class ConfigLoader {
    private static final Set<String> HTTP_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ROUTE = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private ConfigLoader() {}

    public static PortcullisConfig load(Path file) throws ConfigException {
        return load(file, System.getenv());
    }

    /**
     * Loads with an explicit environment: {@code env:} secret references and the secret store's master key
     * ({@code PORTCULLIS_MASTER_KEY} or {@code PORTCULLIS_MASTER_KEY_FILE}) are read from it.
     */
    public static PortcullisConfig load(Path file, Map<String, String> env) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > ConfigNode.MAX_FILE_CHARS) {
                throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0,
                        "configuration file is larger than " + ConfigNode.MAX_FILE_CHARS + " bytes", "split out vendor specs into their own files")));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0,
                    "cannot read configuration: " + e.getClass().getSimpleName(), "check the path and permissions")));
        }
        return parse(file, text, env);
    }

    /** Parses text as if it had been read from {@code file} (relative paths resolve against its directory). */
    public static PortcullisConfig parse(Path file, String text) throws ConfigException {
        return parse(file, text, System.getenv());
    }

    public static PortcullisConfig parse(Path file, String text, Map<String, String> env) throws ConfigException {
        var problems = new ConfigProblems(file.toString());
        var root = ConfigNode.parse(text, problems);
        problems.throwIfAny();
        Path base = file.toAbsolutePath().getParent();
        var reader = new Reader(problems, base);
        PortcullisConfig config = reader.read(root, file);
        problems.throwIfAny();
        checkSecrets(config, env, problems, root, reader.webhookSecrets);
        problems.throwIfAny();
        return config;
    }

    /** A webhook secret reference as written, kept with its node so a problem with its value is reported there. */
    private record WebhookSecret(ConfigNode node, io.portcullis.core.secret.SecretRef ref, String kind, String webhook) {
    }

    /**
     * Every secret reference must resolve now: a missing or undecryptable secret fails the load, naming the reference.
     * Webhook secrets must also have the form their scheme needs ({@link WebhookSecretForm}); the problem is reported
     * at the reference, never with the value.
     */
    private static void checkSecrets(PortcullisConfig cfg, Map<String, String> env, ConfigProblems problems, ConfigNode.Mapping root,
                                     List<WebhookSecret> webhookSecrets) {
        var specs = cfg.apis().stream().flatMap(a -> a.credential().stream()).toList();
        if (specs.isEmpty() && webhookSecrets.isEmpty()) return;
        io.portcullis.core.secret.SecretStore store = null;
        boolean storeUsed = !specs.isEmpty() || webhookSecrets.stream().anyMatch(w -> w.ref() instanceof io.portcullis.core.secret.SecretRef.Store);
        if (cfg.secretStore().isPresent() && storeUsed) {
            try {
                store = new io.portcullis.core.secret.SecretStore(cfg.secretStore().get(), io.portcullis.core.secret.MasterKey.fromEnvironment(env));
            } catch (io.portcullis.core.secret.SecretStoreException e) {
                root.keyNode("secretStore").error(e.getMessage(), "set PORTCULLIS_MASTER_KEY or PORTCULLIS_MASTER_KEY_FILE for the gateway process");
                return;
            }
        }
        var resolver = new io.portcullis.core.secret.SecretResolver(env, store);
        for (var spec : specs) spec.checkSecrets(resolver, problems);
        for (var w : webhookSecrets) {
            io.portcullis.core.secret.SecretValue value;
            try {
                value = resolver.resolve(w.ref());
            } catch (io.portcullis.core.secret.SecretResolutionException e) {
                w.node().error("webhook '" + w.webhook() + "': " + e.getMessage(), w.ref() instanceof io.portcullis.core.secret.SecretRef.Store
                        ? "add it with 'portcullis secrets put " + ((io.portcullis.core.secret.SecretRef.Store) w.ref()).entry() + "' (reads the value from stdin), or point the reference at an existing secret"
                        : "set it for the gateway process, or point the reference at an existing secret");
                continue;
            }
            byte[] bytes = value.bytes();
            try {
                WebhookSecretForm.check(w.kind(), bytes).ifPresent(p ->
                        w.node().error("webhook '" + w.webhook() + "': secret " + w.ref().text() + " is not usable for kind " + w.kind() + ": " + p.message(), p.fix()));
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static final class Reader {
        final ConfigProblems problems;
        final Path base;
        final List<WebhookSecret> webhookSecrets = new ArrayList<>();

        Reader(ConfigProblems problems, Path base) {
            this.problems = problems;
            this.base = base;
        }

        PortcullisConfig read(ConfigNode.Mapping root, Path file) {
            var listen = listen(root.mapping("listen"));
            var admin = admin(root.mapping("admin"));
            var audit = audit(root.mapping("audit"));
            var forwarded = root.opt("forwarded", n -> n.asEnum(ForwardedPolicy.class), ForwardedPolicy.STRIP);
            var issuers = issuers(root.list("issuers"));
            var apps = apps(root.list("apps"), issuers);
            if (!root.has("vendors")) root.error("missing required key 'vendors'", "add 'vendors:' with at least one vendor and its apis");
            var vendors = vendors(root.list("vendors"), apps);
            Optional<Path> store = Optional.empty();
            if (root.has("secretStore")) {
                String s = root.string("secretStore", "");
                // the store file may not exist yet on a fresh install: 'secrets put' creates it
                if (s != null) store = Optional.of(base.resolve(s).normalize());
            }
            Optional<String> inventoryStore = Optional.empty();
            if (root.has("store")) {
                String v = root.string("store", "");
                if (v != null) {
                    boolean server = v.contains("://") || v.startsWith("h2:mem:");
                    String path = v.startsWith("h2:") ? v.substring(3) : v.startsWith("file:") ? v.substring(5) : v;
                    inventoryStore = Optional.of(server ? v : "h2:" + base.resolve(path).normalize());
                }
            }
            var catalog = new ArrayList<Path>();
            for (ConfigNode n : root.list("catalog")) {
                String v = n.asString();
                if (v == null) continue;
                Path p = base.resolve(v).normalize();
                if (!Files.isReadable(p)) n.error("catalog file '" + ConfigNode.abbreviate(v) + "' does not exist or is not readable",
                        "list the vendors' OpenAPI 3.x or Swagger 2.0 files, relative to this file");
                else catalog.add(p);
            }
            Optional<MalwareScannerConfig> malware = root.has("malware") ? Optional.ofNullable(malware(root.mapping("malware"))) : Optional.empty();
            var webhooks = webhooks(root.list("webhooks"), vendors);
            root.done();
            return new PortcullisConfig(file, listen, admin, audit, forwarded, issuers, apps, vendors, store, inventoryStore, List.copyOf(catalog), malware, webhooks);
        }

        record HostPort(String host, int port) {}

        List<WebhookRouteConfig> webhooks(List<ConfigNode> nodes, List<VendorConfig> vendors) {
            var out = new ArrayList<WebhookRouteConfig>();
            var names = new java.util.HashSet<String>();
            var routes = new java.util.HashSet<String>();
            for (var v : vendors) for (var a : v.apis()) routes.add(a.route());
            for (ConfigNode n : nodes) {
                var m = n.asMapping();
                String name = m.string("name", "add name: a short id for this webhook, e.g. stripe-events");
                if (name != null && !names.add(name)) m.get("name").orElse(m).error("duplicate webhook name '" + ConfigNode.abbreviate(name) + "'", "give each webhook its own name");
                String vendor = m.string("vendor", "add vendor: the vendor that sends it (declared under 'vendors')");
                if (vendor != null && vendors.stream().noneMatch(v -> v.name().equals(vendor))) {
                    m.get("vendor").orElse(m).error("unknown vendor '" + ConfigNode.abbreviate(vendor) + "'", "use one of " + vendors.stream().map(VendorConfig::name).toList());
                }
                String route = m.string("route", "add route: the path the vendor calls, e.g. /hooks/stripe");
                if (route != null) {
                    if (!route.startsWith("/") || route.length() < 2 || route.endsWith("/")) {
                        m.get("route").orElse(m).error("route '" + ConfigNode.abbreviate(route) + "' must start with '/' and not end with it", "write e.g. /hooks/stripe");
                    } else if (!routes.add(route)) {
                        m.get("route").orElse(m).error("duplicate route '" + ConfigNode.abbreviate(route) + "'", "give each webhook and api its own route prefix");
                    }
                }
                String kind = m.string("kind", "add kind: one of " + WebhookRouteConfig.KINDS);
                if (kind != null && !WebhookRouteConfig.KINDS.contains(kind)) {
                    m.get("kind").orElse(m).error("unknown webhook kind '" + ConfigNode.abbreviate(kind) + "'", "use one of " + WebhookRouteConfig.KINDS);
                }
                var secrets = new ArrayList<io.portcullis.core.secret.SecretRef>();
                if (!m.has("secrets")) m.error("webhook '" + name + "' has no secrets", "add secrets: [env:NAME] (several during rotation; env:, file: or store:)");
                for (ConfigNode sn : m.list("secrets")) {
                    String text = sn.asString();
                    if (text == null) continue;
                    var err = new StringBuilder();
                    var r = io.portcullis.core.secret.SecretRef.parse(text, err);
                    if (r.isEmpty()) sn.error("secret: " + err, "write env:NAME, file:PATH or store:name/key (never the secret itself)");
                    else secrets.add(r.get());
                    if (r.isPresent() && kind != null && WebhookRouteConfig.KINDS.contains(kind)) webhookSecrets.add(new WebhookSecret(sn, r.get(), kind, name));
                }
                URI forwardTo = uri(m, "forwardTo", true, true);
                Optional<Duration> tolerance = m.has("tolerance") ? Optional.of(m.opt("tolerance", ConfigNode::asDuration, Duration.ofMinutes(5))) : Optional.empty();
                if (tolerance.isPresent() && (tolerance.get().isZero() || tolerance.get().compareTo(Duration.ofHours(1)) > 0)) {
                    m.keyNode("tolerance").error("tolerance must be between 1s and 1h", "use the vendor's documented window, e.g. 5m");
                }
                Optional<String> publicUrl = Optional.ofNullable(m.has("publicUrl") ? m.string("publicUrl", "") : null);
                if (publicUrl.isPresent() && !publicUrl.get().startsWith("https://") && !publicUrl.get().startsWith("http://")) {
                    m.keyNode("publicUrl").error("publicUrl must be the full URL the vendor calls", "write e.g. https://hooks.example.com/hooks/twilio");
                }
                if ("twilio".equals(kind) && publicUrl.isEmpty()) m.error("a twilio webhook needs publicUrl", "add publicUrl: the exact URL configured in Twilio (it is signed)");
                long maxBody = m.opt("maxBody", ConfigNode::asSize, 1L << 20);
                if (maxBody < 1 || maxBody > 64L << 20) m.keyNode("maxBody").error("maxBody must be between 1 byte and 64MiB", "use e.g. 1MiB");
                InboundPolicy inbound = m.has("inbound") ? InboundPolicy.readForWebhook(m.mapping("inbound"), base) : InboundPolicy.WEBHOOK_DEFAULT;
                m.done();
                if (name != null && vendor != null && route != null && kind != null && forwardTo != null) {
                    out.add(new WebhookRouteConfig(name, vendor, route, kind, secrets, forwardTo, tolerance, publicUrl, inbound, maxBody));
                }
            }
            return out;
        }

        MalwareScannerConfig malware(ConfigNode.Mapping m) {
            String fix = "write clamd: tcp://127.0.0.1:3310 or clamd: unix:/run/clamav/clamd.ctl";
            String s = m.string("clamd", "add clamd: " + fix.substring(fix.indexOf("tcp")));
            ConfigNode at = m.get("clamd").orElse(m);
            Duration timeout = m.opt("timeout", ConfigNode::asDuration, Duration.ofSeconds(30));
            if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                m.keyNode("timeout").error("timeout must be between 1ms and 10m", "use e.g. 30s");
            }
            m.done();
            if (s == null) return null;
            MalwareScannerConfig.Clamd clamd = null;
            if (s.startsWith("unix:")) {
                String path = s.substring("unix:".length());
                if (path.startsWith("//")) path = path.substring(2);
                if (path.isEmpty()) at.error("clamd socket path is empty", fix);
                else clamd = new MalwareScannerConfig.Clamd.Unix(base.resolve(path).normalize());
            } else if (s.startsWith("tcp://")) {
                String hp = s.substring("tcp://".length());
                if (hp.endsWith("/")) hp = hp.substring(0, hp.length() - 1);
                int colon = hp.lastIndexOf(':');
                String host = colon < 0 ? hp : hp.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                int port = -1;
                try {
                    port = colon < 0 ? 3310 : Integer.parseInt(hp.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (host.isEmpty() || port < 1 || port > 65535) at.error("'" + ConfigNode.abbreviate(s) + "' is not a clamd address", fix);
                else clamd = new MalwareScannerConfig.Clamd.Tcp(host, port);
            } else {
                at.error("'" + ConfigNode.abbreviate(s) + "' is not a clamd address", fix);
            }
            return clamd == null ? null : new MalwareScannerConfig(clamd, timeout);
        }

        HostPort address(ConfigNode n, String dfltHost) {
            String s = n.asString();
            if (s == null) return new HostPort(dfltHost, 0);
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? dfltHost : s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            String portText = colon < 0 ? s : s.substring(colon + 1);
            try {
                int port = Integer.parseInt(portText);
                if (port < 0 || port > 65535) throw new NumberFormatException();
                return new HostPort(host.isEmpty() ? dfltHost : host, port);
            } catch (NumberFormatException e) {
                n.error("'" + ConfigNode.abbreviate(s) + "' is not an address", "write host:port, e.g. 0.0.0.0:8080 or 127.0.0.1:9090 (port 0 picks a free port)");
                return new HostPort(dfltHost, 0);
            }
        }

        ListenConfig listen(ConfigNode.Mapping m) {
            var hp = m.opt("address", n -> address(n, "0.0.0.0"), new HostPort("0.0.0.0", 8080));
            long maxHeader = m.opt("maxHeaderSize", ConfigNode::asSize, 16L * 1024);
            long maxLine = m.opt("maxRequestLine", ConfigNode::asSize, 8L * 1024);
            if (maxHeader < 1024 || maxHeader > 1 << 20) m.keyNode("maxHeaderSize").error("maxHeaderSize must be between 1KiB and 1MiB", "use e.g. 16KiB");
            if (maxLine < 256 || maxLine > 1 << 20) m.keyNode("maxRequestLine").error("maxRequestLine must be between 256 and 1MiB", "use e.g. 8KiB");
            Duration idle = m.opt("idleTimeout", ConfigNode::asDuration, Duration.ofSeconds(60));
            Optional<ListenConfig.TlsListener> tls = Optional.empty();
            if (m.has("tls")) {
                var t = m.mapping("tls");
                var thp = t.opt("address", n -> address(n, "0.0.0.0"), new HostPort("0.0.0.0", 8443));
                Path cert = file(t, "certificate", true);
                Path key = file(t, "privateKey", true);
                Optional<Path> ca = Optional.ofNullable(file(t, "clientCa", false));
                boolean require = t.opt("requireClientCertificate", ConfigNode::asBool, false);
                if (require && ca.isEmpty()) t.keyNode("requireClientCertificate").error("requireClientCertificate needs clientCa", "add clientCa: path/to/apps-ca.pem");
                t.done();
                tls = Optional.of(new ListenConfig.TlsListener(thp.host(), thp.port(), cert, key, ca, require));
            }
            m.done();
            return new ListenConfig(hp.host(), hp.port(), tls, (int) maxHeader, (int) maxLine, idle);
        }

        AdminConfig admin(ConfigNode.Mapping m) {
            var hp = m.opt("address", n -> address(n, "127.0.0.1"), new HostPort("127.0.0.1", 9090));
            m.done();
            return new AdminConfig(hp.host(), hp.port());
        }

        AuditConfig audit(ConfigNode.Mapping m) {
            String f = m.string("file", "", "var/audit/audit.jsonl");
            long max = m.opt("maxFileSize", ConfigNode::asSize, 100L << 20);
            int files = m.opt("maxFiles", n -> n.asInt(1, 10_000), 10);
            int cap = m.opt("busCapacity", n -> n.asInt(16, 16 << 20), 65_536);
            if (max < 4096) m.keyNode("maxFileSize").error("maxFileSize must be at least 4KiB", "use e.g. 100MiB");
            m.done();
            return new AuditConfig(base.resolve(f).normalize(), max, files, cap);
        }

        Map<String, JwtIssuerConfig> issuers(List<ConfigNode> list) {
            var out = new LinkedHashMap<String, JwtIssuerConfig>();
            for (ConfigNode n : list) {
                var m = n.asMapping();
                String name = name(m, "name", "issuer");
                String iss = m.string("issuer", "add issuer: the exact 'iss' claim value, e.g. https://idp.example.com");
                URI jwks = uri(m, "jwksUri", true, m.opt("allowInsecureHttp", ConfigNode::asBool, false));
                var aud = m.strings("audiences");
                if (aud.isEmpty()) m.error("issuer '" + name + "' has no audiences", "add audiences: [portcullis] so tokens minted for other services are refused");
                Duration skew = m.opt("clockSkew", ConfigNode::asDuration, Duration.ofSeconds(60));
                var algs = m.get("algorithms").map(ConfigNode::asStringList).orElse(List.of("RS256", "ES256", "PS256", "EdDSA"));
                for (String a : algs) {
                    if (a.startsWith("HS") || a.equalsIgnoreCase("none")) m.keyNode("algorithms").error("algorithm " + a + " is not accepted for app identity", "use asymmetric algorithms such as RS256, ES256, PS256, EdDSA");
                }
                m.done();
                if (name != null) {
                    if (out.containsKey(name)) m.error("duplicate issuer name '" + name + "'", "give each issuer a unique name");
                    out.put(name, new JwtIssuerConfig(name, iss, jwks, aud, skew, algs));
                }
            }
            return out;
        }

        Map<String, AppConfig> apps(List<ConfigNode> list, Map<String, JwtIssuerConfig> issuers) {
            var out = new LinkedHashMap<String, AppConfig>();
            for (ConfigNode n : list) {
                var m = n.asMapping();
                String name = name(m, "name", "app");
                String desc = m.string("description", "", "");
                var keys = new ArrayList<byte[]>();
                for (ConfigNode k : m.list("apiKeys")) {
                    String s = k.asString();
                    if (s == null) continue;
                    if (!s.startsWith("sha256:") || !HEX64.matcher(s.substring(7)).matches()) {
                        // Never echo the value: it may be a plain key pasted by mistake.
                        k.error("API keys are stored only as SHA-256 digests ('sha256:' + 64 lower-case hex digits)",
                                "replace it with the output of: printf %s \"$KEY\" | bin/portcullis hash-key");
                        continue;
                    }
                    keys.add(HexFormat.of().parseHex(s.substring(7)));
                }
                Optional<AppConfig.MtlsIdentity> mtls = Optional.empty();
                if (m.has("mtls")) {
                    var t = m.mapping("mtls");
                    var subject = Optional.ofNullable(t.string("subject", "", null));
                    var sans = t.strings("sans");
                    if (subject.isEmpty() && sans.isEmpty()) t.error("mtls needs a subject or sans", "add subject: \"CN=billing,O=Example\" or sans: [billing.internal]");
                    t.done();
                    mtls = Optional.of(new AppConfig.MtlsIdentity(subject, sans));
                }
                Optional<AppConfig.JwtIdentity> jwt = Optional.empty();
                if (m.has("jwt")) {
                    var t = m.mapping("jwt");
                    String iss = t.string("issuer", "add issuer: the name of an entry under 'issuers'");
                    if (iss != null && !issuers.containsKey(iss)) {
                        t.get("issuer").orElse(t).error("unknown issuer '" + ConfigNode.abbreviate(iss) + "'",
                                issuers.isEmpty() ? "declare it under top-level 'issuers:'" : "use one of " + issuers.keySet());
                    }
                    var subs = t.strings("subjects");
                    if (subs.isEmpty()) t.error("jwt identity needs subjects", "add subjects: [the token's sub or client_id]");
                    t.done();
                    jwt = Optional.of(new AppConfig.JwtIdentity(iss, subs));
                }
                if (keys.isEmpty() && mtls.isEmpty() && jwt.isEmpty() && name != null) {
                    m.error("app '" + name + "' has no way to identify itself", "add apiKeys, mtls or jwt");
                }
                m.done();
                if (name != null) {
                    if (out.containsKey(name)) m.keyNode("name").error("duplicate app name '" + name + "'", "give each app a unique name");
                    else out.put(name, new AppConfig(name, desc, keys, mtls, jwt));
                }
            }
            return out;
        }

        List<VendorConfig> vendors(List<ConfigNode> list, Map<String, AppConfig> apps) {
            var out = new ArrayList<VendorConfig>();
            var vendorNames = new HashMap<String, ConfigNode>();
            var routes = new HashMap<String, ConfigNode>();
            for (ConfigNode n : list) {
                var m = n.asMapping();
                String name = name(m, "name", "vendor");
                if (name != null && vendorNames.putIfAbsent(name, m) != null) {
                    m.keyNode("name").error("duplicate vendor name '" + name + "' (first at line " + vendorNames.get(name).line() + ")", "merge the two entries into one vendor");
                }
                String owner = m.string("owner", "add owner: the team or person accountable for this vendor, e.g. payments@example.com");
                String purpose = m.string("purpose", "add purpose: why we send data to this vendor (shown to auditors)");
                var attestations = m.strings("attestations");
                var apis = new ArrayList<ApiConfig>();
                var apiNames = new HashMap<String, ConfigNode>();
                for (ConfigNode a : m.list("apis")) {
                    var api = api(a.asMapping(), name, apps, routes);
                    if (api == null) continue;
                    if (apiNames.putIfAbsent(api.name(), a) != null) a.error("duplicate api name '" + api.name() + "' in vendor '" + name + "'", "give each api of a vendor a unique name");
                    apis.add(api);
                }
                if (!m.has("apis")) m.error("vendor '" + name + "' has no apis", "add apis: with at least one route and upstream");
                m.done();
                out.add(new VendorConfig(name, owner, purpose, attestations, apis));
            }
            return out;
        }

        ApiConfig api(ConfigNode.Mapping m, String vendor, Map<String, AppConfig> apps, Map<String, ConfigNode> routes) {
            String name = name(m, "name", "api");
            String route = m.string("route", "add route: the path prefix apps call, e.g. /" + (vendor == null ? "vendor" : vendor));
            if (route != null) {
                if (!ROUTE.matcher(route).matches()) {
                    m.get("route").orElse(m).error("route '" + ConfigNode.abbreviate(route) + "' is not a path prefix",
                            "write it like /stripe or /stripe/v2: starting with '/', no trailing '/', no '..', no query");
                } else if (route.contains("/../") || route.endsWith("/..") || route.contains("/./")) {
                    m.get("route").orElse(m).error("route must not contain dot segments", "write a plain prefix like /stripe");
                } else {
                    var first = routes.putIfAbsent(route, m);
                    if (first != null) m.get("route").orElse(m).error("duplicate route '" + route + "' (also at line " + first.line() + ")", "give each api its own route prefix");
                }
            }
            boolean insecure = m.opt("allowInsecureHttp", ConfigNode::asBool, false);
            URI upstream = uri(m, "upstream", true, insecure);
            var allow = new ArrayList<ApiConfig.AllowRule>();
            for (ConfigNode r : m.list("allow")) {
                var rm = r.isScalar() ? null : r.asMapping();
                String app;
                List<String> methods = List.of(), paths = List.of();
                ConfigNode at = r;
                if (rm == null) {
                    app = r.asString();
                } else {
                    app = rm.string("app", "add app: the name of an entry under 'apps'");
                    at = rm.get("app").orElse(rm);
                    methods = rm.strings("methods").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
                    for (String meth : methods) {
                        if (!HTTP_METHODS.contains(meth)) rm.keyNode("methods").error("unknown HTTP method '" + ConfigNode.abbreviate(meth) + "'", "use methods from " + HTTP_METHODS);
                    }
                    paths = rm.strings("paths");
                    for (String p : paths) {
                        if (!p.startsWith("/")) rm.keyNode("paths").error("path pattern '" + ConfigNode.abbreviate(p) + "' must start with '/'", "write it relative to the route, e.g. /v1/charges/**");
                        int dd = p.indexOf("**");
                        if (dd >= 0 && dd != p.length() - 2) rm.keyNode("paths").error("'**' may only end a path pattern", "use * for one segment and ** only at the end");
                    }
                    rm.done();
                }
                if (app != null && !apps.containsKey(app)) {
                    at.error("unknown app '" + ConfigNode.abbreviate(app) + "'", apps.isEmpty() ? "declare it under top-level 'apps:'" : "use one of " + apps.keySet());
                }
                if (app != null) allow.add(new ApiConfig.AllowRule(app, methods, paths));
            }
            if (!m.has("allow")) m.error("api '" + name + "' allows no app", "add allow: [app-name] or allow: [{app: name, methods: [GET], paths: [/v1/**]}]");
            TlsPolicy tls = m.has("tls") ? tls(m.mapping("tls"), upstream) : TlsPolicy.defaults();
            Limits limits = m.has("limits") ? limits(m.mapping("limits")) : Limits.defaults();
            Optional<ApiConfig.RateLimit> rate = Optional.empty();
            if (m.has("rateLimit")) {
                var r = m.mapping("rateLimit");
                Integer req = r.require("requests", "add requests: how many calls per period, e.g. 100").map(x -> x.asInt(1, Integer.MAX_VALUE)).orElse(null);
                Duration per = r.opt("per", ConfigNode::asDuration, Duration.ofSeconds(1));
                long burst = r.opt("burst", x -> x.asInt(1, Integer.MAX_VALUE), req == null ? 1 : req).longValue();
                if (per.isZero()) r.keyNode("per").error("per must be longer than zero", "use e.g. 1s or 1m");
                if (req != null && burst < req) r.keyNode("burst").error("burst must be at least requests", "set burst to " + req + " or more");
                r.done();
                if (req != null) rate = Optional.of(new ApiConfig.RateLimit(req, per, burst));
            }
            ApiConfig.CircuitBreaker breaker = new ApiConfig.CircuitBreaker(5, Duration.ofSeconds(30));
            if (m.has("circuitBreaker")) {
                var c = m.mapping("circuitBreaker");
                breaker = new ApiConfig.CircuitBreaker(c.opt("failures", x -> x.asInt(1, 10_000), 5), c.opt("openFor", ConfigNode::asDuration, Duration.ofSeconds(30)));
                c.done();
            }
            var protocol = m.opt("protocol", n -> n.asEnum(ApiConfig.UpstreamProtocol.class), ApiConfig.UpstreamProtocol.AUTO);
            Optional<CredentialSpec> credential = m.has("credential") ? Optional.ofNullable(CredentialSpec.read(m.mapping("credential"))) : Optional.empty();
            Optional<DataPolicy> dataPolicy = m.get("dataPolicy").map(DataPolicy::read);
            InboundPolicy inbound = m.get("inbound").map(n -> InboundPolicy.read(n, base)).orElse(InboundPolicy.DEFAULT);
            m.done();
            if (name == null || route == null || upstream == null) return null;
            return new ApiConfig(vendor, name, route, upstream, insecure, allow, tls, limits, rate, breaker, protocol, credential, dataPolicy, inbound);
        }

        TlsPolicy tls(ConfigNode.Mapping m, URI upstream) {
            String min = m.string("minVersion", "", "TLSv1.2");
            if (!min.equals("TLSv1.2") && !min.equals("TLSv1.3")) {
                m.get("minVersion").orElse(m).error("minVersion '" + ConfigNode.abbreviate(min) + "' is not accepted", "write TLSv1.2 or TLSv1.3 (older versions are never allowed)");
            }
            boolean verify = m.opt("verifyHostname", ConfigNode::asBool, true);
            Optional<Path> ca = Optional.ofNullable(file(m, "caBundle", false));
            var pins = new ArrayList<String>();
            for (ConfigNode p : m.list("pins")) {
                String s = p.asString();
                if (s == null) continue;
                byte[] digest = null;
                if (s.startsWith("sha256/")) {
                    try {
                        digest = Base64.getDecoder().decode(s.substring(7));
                    } catch (IllegalArgumentException e) {
                        digest = null;
                    }
                }
                if (digest == null || digest.length != 32) {
                    p.error("pin '" + ConfigNode.abbreviate(s) + "' is not a SHA-256 SPKI pin",
                            "write sha256/ followed by the base64 of the 32-byte SHA-256 of the certificate's SubjectPublicKeyInfo (run: bin/portcullis pin HOST:PORT)");
                    continue;
                }
                pins.add(s);
            }
            Optional<TlsPolicy.ClientCertificate> client = Optional.empty();
            if (m.has("clientCertificate")) {
                var c = m.mapping("clientCertificate");
                Path cert = file(c, "certificate", true), key = file(c, "privateKey", true);
                c.done();
                if (cert != null && key != null) client = Optional.of(new TlsPolicy.ClientCertificate(cert, key));
            }
            if (upstream != null && "http".equals(upstream.getScheme()) && (!pins.isEmpty() || client.isPresent())) {
                m.error("TLS settings on a plain http:// upstream have no effect", "use an https:// upstream or remove tls:");
            }
            m.done();
            return new TlsPolicy(min, verify, ca, pins, client);
        }

        Limits limits(ConfigNode.Mapping m) {
            var d = Limits.defaults();
            var l = new Limits(
                    m.opt("maxRequestBody", ConfigNode::asSize, d.maxRequestBodyBytes()),
                    m.opt("maxResponseBody", ConfigNode::asSize, d.maxResponseBodyBytes()),
                    m.opt("connectTimeout", ConfigNode::asDuration, d.connectTimeout()),
                    m.opt("responseTimeout", ConfigNode::asDuration, d.responseTimeout()),
                    m.opt("idleTimeout", ConfigNode::asDuration, d.idleTimeout()));
            for (String k : List.of("connectTimeout", "responseTimeout", "idleTimeout")) {
                Duration v = switch (k) {
                    case "connectTimeout" -> l.connectTimeout();
                    case "responseTimeout" -> l.responseTimeout();
                    default -> l.idleTimeout();
                };
                if (v.isZero()) m.keyNode(k).error(k + " must be longer than zero", "use e.g. 5s");
            }
            m.done();
            return l;
        }

        String name(ConfigNode.Mapping m, String key, String what) {
            String s = m.string(key, "add " + key + ": a short lower-case name for this " + what + ", e.g. " + (what.equals("app") ? "billing" : "stripe"));
            if (s != null && !NAME.matcher(s).matches()) {
                m.get(key).orElse(m).error(what + " name '" + ConfigNode.abbreviate(s) + "' is not a plain name",
                        "use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (max 63)");
                return null;
            }
            return s;
        }

        URI uri(ConfigNode.Mapping m, String key, boolean required, boolean allowHttp) {
            var n = required ? m.require(key, "add " + key + ": an https:// URL") : m.get(key);
            if (n.isEmpty()) return null;
            String s = n.get().asString();
            if (s == null) return null;
            try {
                URI u = new URI(s);
                if (u.getScheme() == null || u.getHost() == null) throw new URISyntaxException(s, "not absolute");
                String scheme = u.getScheme().toLowerCase(Locale.ROOT);
                if (u.getRawUserInfo() != null) {
                    n.get().error("credentials in a URL are not allowed here", "remove the user:password@ part and configure a credential instead");
                    return null;
                }
                if (u.getRawQuery() != null || u.getRawFragment() != null) {
                    n.get().error("the URL must not have a query or fragment", "remove everything from '?' or '#'");
                    return null;
                }
                if (scheme.equals("http")) {
                    if (!allowHttp) {
                        n.get().error("plain http:// sends data unencrypted", "use https://, or add allowInsecureHttp: true beside it if this really is a plain-http endpoint (test or loopback only)");
                        return null;
                    }
                } else if (!scheme.equals("https")) {
                    n.get().error("unsupported scheme '" + scheme + "'", "use an https:// URL");
                    return null;
                }
                return u;
            } catch (URISyntaxException e) {
                n.get().error("'" + ConfigNode.abbreviate(s) + "' is not a valid absolute URL", "write it like https://api.vendor.com or https://api.vendor.com/base");
                return null;
            }
        }

        Path file(ConfigNode.Mapping m, String key, boolean required) {
            var n = required ? m.require(key, "add " + key + ": a path (relative to this file)") : m.get(key);
            if (n.isEmpty()) return null;
            String s = n.get().asString();
            if (s == null) return null;
            Path p = base.resolve(s).normalize();
            if (!Files.isReadable(p)) {
                n.get().error("file '" + ConfigNode.abbreviate(s) + "' does not exist or is not readable", "check the path; it is relative to the configuration file's directory");
                return null;
            }
            return p;
        }
    }
}
