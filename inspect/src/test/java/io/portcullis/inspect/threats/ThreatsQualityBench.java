package io.portcullis.inspect.threats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quality benchmark over the labelled corpus (bench/threats-corpus/corpus.jsonl): detection rate per category
 * (an attack counts as detected only when its own category is reported) and false-positive rate over benign values
 * and benign bodies, separately for the tuning split and the held-out split.
 *
 * <p>Usage: {@code ThreatsQualityBench CORPUS [--misses]}; {@code --misses} lists misses and false positives of the
 * <em>tune</em> split only (the held-out split is never listed, so it cannot be tuned on).
 */
public final class ThreatsQualityBench {
    record Item(int id, String split, String label, String category, String kind, String context, String value) {}

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "bench/threats-corpus/corpus.jsonl");
        boolean misses = List.of(args).contains("--misses");
        ObjectMapper om = new ObjectMapper();
        List<Item> items = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode n = om.readTree(line);
                items.add(new Item(n.get("id").asInt(), n.get("split").asText(), n.get("label").asText(),
                        n.get("category").isNull() ? null : n.get("category").asText(), n.get("kind").asText(),
                        n.get("context").asText(), n.get("value").asText()));
            }
        }
        ThreatEngine engine = new ThreatEngine();
        // [split][category] -> {detected, total}
        Map<String, int[]> det = new TreeMap<>();
        Map<String, int[]> fp = new TreeMap<>();
        List<String> missLines = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Item it : items) {
            ThreatReport rep = scan(engine, it);
            if (it.label().equals("attack")) {
                boolean hit = rep.categories().contains(ThreatCategory.valueOf(it.category()));
                for (String split : new String[] {it.split(), "all"}) {
                    int[] c = det.computeIfAbsent(split + "|" + it.category(), k -> new int[2]);
                    c[1]++;
                    if (hit) c[0]++;
                }
                if (!hit && misses && it.split().equals("tune")) {
                    missLines.add("MISS " + it.category() + " " + it.kind() + "/" + it.context() + " id=" + it.id() + " got=" + rep.categories()
                            + (it.kind().equals("value") ? " :: " + it.value() : ""));
                }
            } else {
                String group = it.kind().equals("value") ? "values" : "bodies";
                boolean flagged = rep.isAttack();
                for (String split : new String[] {it.split(), "all"}) {
                    int[] c = fp.computeIfAbsent(split + "|" + group, k -> new int[2]);
                    c[1]++;
                    if (flagged) c[0]++;
                }
                if (flagged && misses && it.split().equals("tune")) {
                    missLines.add("FP " + it.kind() + "/" + it.context() + " id=" + it.id() + " " + rep.findings().stream()
                            .map(f -> f.category() + ":" + f.score() + ":" + f.reason() + "@" + f.path()).toList()
                            + (rep.malformed() != null ? " malformed=" + rep.malformed() : "")
                            + (it.kind().equals("value") ? " :: " + it.value() : ""));
                }
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        missLines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "Portcullis threat engine on %s (%d items, %d ms)%n", corpus, items.size(), ms);
        System.out.printf(Locale.ROOT, "%-16s %18s %18s %18s%n", "detection", "tune", "holdout", "all");
        for (ThreatCategory c : ThreatCategory.values()) {
            System.out.printf(Locale.ROOT, "%-16s %18s %18s %18s%n", c, cell(det.get("tune|" + c)), cell(det.get("holdout|" + c)), cell(det.get("all|" + c)));
        }
        for (String g : new String[] {"values", "bodies"}) {
            System.out.printf(Locale.ROOT, "%-16s %18s %18s %18s%n", "FP benign " + g, cell(fp.get("tune|" + g)), cell(fp.get("holdout|" + g)), cell(fp.get("all|" + g)));
        }
    }

    static ThreatReport scan(ThreatEngine engine, Item it) {
        return switch (it.kind()) {
            case "json_body" -> engine.scanJson(it.value());
            case "form_body" -> engine.scanForm(it.value());
            case "query" -> engine.scanValue(it.value(), ValueContext.QUERY_VALUE);
            case "xml_body" -> engine.scanXml(it.value());
            default -> engine.scanValue(it.value(), switch (it.context()) {
                case "json_key" -> ValueContext.JSON_KEY;
                case "header" -> ValueContext.HEADER;
                case "url" -> ValueContext.URL;
                case "query" -> ValueContext.QUERY_VALUE;
                case "form" -> ValueContext.FORM_FIELD;
                default -> ValueContext.JSON_VALUE;
            });
        };
    }

    private static String cell(int[] c) {
        if (c == null || c[1] == 0) return "-";
        return String.format(Locale.ROOT, "%d/%d %6.2f%%", c[0], c[1], 100.0 * c[0] / c[1]);
    }
}
