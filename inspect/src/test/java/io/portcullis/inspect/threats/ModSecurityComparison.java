package io.portcullis.inspect.threats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends every corpus item to a ModSecurity-protected Apache and counts 403s, next to the Portcullis engine's verdict
 * on the same item. Request shapes: raw values as a JSON body {"value": v} (keys as {k: "x"}), JSON bodies as
 * application/json, form bodies as x-www-form-urlencoded, query strings as GET query, XML bodies as application/xml.
 * ModSecurity's verdict carries no category, so both engines are also compared on "flagged at all".
 */
public final class ModSecurityComparison {
    public static void main(String[] args) throws Exception {
        // a numeric Host header alone costs 3 CRS anomaly points (rule 920350); send a name like real traffic does
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        Path corpus = Path.of(args[0]);
        String base = args[1];
        ObjectMapper om = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ThreatEngine engine = new ThreatEngine();
        Map<String, int[]> modsec = new TreeMap<>(), ours = new TreeMap<>(), oursStrict = new TreeMap<>();
        int errors = 0;
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            JsonNode n = om.readTree(line);
            ThreatsQualityBench.Item it = new ThreatsQualityBench.Item(n.get("id").asInt(), n.get("split").asText(), n.get("label").asText(),
                    n.get("category").isNull() ? null : n.get("category").asText(), n.get("kind").asText(), n.get("context").asText(),
                    n.get("value").asText());
            HttpRequest req = request(base, it, om);
            int status;
            try {
                status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                errors++;
                continue;
            }
            boolean blocked = status == 403;
            if (status >= 500) errors++;
            ThreatReport r = ThreatsQualityBench.scan(engine, it);
            String key = it.label().equals("attack") ? it.category() : (it.kind().equals("value") ? "~FP benign values" : "~FP benign bodies");
            count(modsec, key, blocked);
            count(ours, key, r.isAttack());
            count(oursStrict, key, it.label().equals("attack") ? r.categories().contains(ThreatCategory.valueOf(it.category())) : r.isAttack());
        }
        System.out.printf(Locale.ROOT, "%-18s %20s %20s %24s%n", "", "ModSecurity+CRS", "Portcullis (any)", "Portcullis (own category)");
        for (String k : modsec.keySet()) {
            System.out.printf(Locale.ROOT, "%-18s %20s %20s %24s%n", k.replace("~", ""), cell(modsec.get(k)), cell(ours.get(k)), cell(oursStrict.get(k)));
        }
        if (errors > 0) System.out.println("request errors (not counted): " + errors);
    }

    private static void count(Map<String, int[]> m, String k, boolean hit) {
        int[] c = m.computeIfAbsent(k, x -> new int[2]);
        c[1]++;
        if (hit) c[0]++;
    }

    private static String cell(int[] c) {
        return c == null ? "-" : String.format(Locale.ROOT, "%d/%d %6.2f%%", c[0], c[1], 100.0 * c[0] / c[1]);
    }

    static HttpRequest request(String base, ThreatsQualityBench.Item it, ObjectMapper om) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30)).header("Host", "api.example.com").header("User-Agent", "portcullis-bench/1.0")
                .header("Accept", "application/json");
        switch (it.kind()) {
            case "json_body" -> b.uri(URI.create(base + "/hook")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(it.value(), StandardCharsets.UTF_8));
            case "form_body" -> b.uri(URI.create(base + "/hook")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(it.value(), StandardCharsets.UTF_8));
            case "query" -> b.uri(URI.create(base + "/search?" + safeQuery(it.value()))).GET();
            case "xml_body" -> b.uri(URI.create(base + "/hook")).header("Content-Type", "application/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(it.value(), StandardCharsets.UTF_8));
            default -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                if (it.context().equals("json_key")) o.put(it.value(), "x");
                else o.put("value", it.value());
                b.uri(URI.create(base + "/hook")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(om.writeValueAsString(o), StandardCharsets.UTF_8));
            }
        }
        return b.build();
    }

    /** Keeps the query's own encoding, only escaping characters java.net.URI refuses. */
    private static String safeQuery(String q) {
        StringBuilder s = new StringBuilder();
        for (char c : q.toCharArray()) {
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|} ".indexOf(c) < 0) s.append(c);
            else s.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
