package io.portcullis.inspect.dlp.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.inspect.dlp.DlpEngine;
import io.portcullis.inspect.dlp.DlpTypes;
import io.portcullis.inspect.dlp.Finding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores the engine on the labelled corpus ({@code bench/dlp-corpus/corpus.jsonl}): precision and recall per
 * class and per type, on the tuning split, the held-out split and both. A finding is a true positive when a
 * label of the same type overlaps its span; unmatched findings are false positives, unmatched labels false
 * negatives. Run by {@code bench/dlp-quality}; also writes a JSON summary when given a second argument.
 */
public final class DlpQuality {
    record Counts(int[] tp, int[] fp, int[] fn) {
        Counts() {
            this(new int[1], new int[1], new int[1]);
        }
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "bench/dlp-corpus/corpus.jsonl");
        var mapper = new ObjectMapper();
        var engine = DlpEngine.builtIn();
        Map<String, Map<String, Counts>> byType = new TreeMap<>(), byClass = new TreeMap<>();
        long bytes = 0;
        List<String> fpSamples = new ArrayList<>(), fnSamples = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode r = mapper.readTree(line);
            String split = r.get("split").asText();
            byte[] payload = r.get("payload").asText().getBytes(StandardCharsets.UTF_8);
            bytes += payload.length;
            List<Finding> found = engine.scanBody(payload, r.get("content_type").asText(), null).findings();
            var labels = new ArrayList<String[]>();
            for (JsonNode l : r.get("labels")) labels.add(new String[] {l.get("type").asText(), l.get("start").asText(), l.get("end").asText()});
            boolean[] matched = new boolean[labels.size()];
            for (Finding f : found) {
                int hit = -1;
                for (int i = 0; i < labels.size(); i++) {
                    String[] l = labels.get(i);
                    if (!matched[i] && l[0].equals(f.type()) && f.start() < Long.parseLong(l[2]) && Long.parseLong(l[1]) < f.end()) {
                        hit = i;
                        break;
                    }
                }
                String cls = f.dataClass().name();
                if (hit >= 0) {
                    matched[hit] = true;
                    count(byType, byClass, split, f.type(), cls, 0);
                } else {
                    count(byType, byClass, split, f.type(), cls, 1);
                    if (fpSamples.size() < 40 && split.equals("tune")) {
                        fpSamples.add("FP id=" + r.get("id").asText() + " " + f.type() + " " + f.path() + " " + f.masked());
                    }
                }
            }
            for (int i = 0; i < labels.size(); i++) {
                if (matched[i]) continue;
                String t = labels.get(i)[0];
                var c = DlpTypes.ALL.get(t);
                count(byType, byClass, split, t, c == null ? "?" : c.name(), 2);
                if (fnSamples.size() < 40 && split.equals("tune")) {
                    fnSamples.add("FN id=" + r.get("id").asText() + " " + t + " [" + new String(payload, Integer.parseInt(labels.get(i)[1]),
                            Integer.parseInt(labels.get(i)[2]) - Integer.parseInt(labels.get(i)[1]), StandardCharsets.UTF_8) + "]");
                }
            }
        }
        System.out.printf("corpus: %s (%d bytes)%n%n", corpus, bytes);
        for (String split : List.of("tune", "heldout", "all")) {
            System.out.println("== split: " + split);
            print("class", byClass, split);
            print("type", byType, split);
            System.out.println();
        }
        if (System.getenv("DLP_QUALITY_VERBOSE") != null) {
            fpSamples.forEach(System.out::println);
            fnSamples.forEach(System.out::println);
        }
    }

    private static void count(Map<String, Map<String, Counts>> byType, Map<String, Map<String, Counts>> byClass, String split,
                              String type, String cls, int which) {
        for (String s : List.of(split, "all")) {
            for (var e : List.of(Map.entry(byType, type), Map.entry(byClass, cls))) {
                Counts c = e.getKey().computeIfAbsent(s, k -> new TreeMap<>()).computeIfAbsent(e.getValue(), k -> new Counts());
                (which == 0 ? c.tp() : which == 1 ? c.fp() : c.fn())[0]++;
            }
        }
    }

    private static void print(String what, Map<String, Map<String, Counts>> m, String split) {
        System.out.printf("  %-28s %6s %6s %6s %9s %7s%n", what, "tp", "fp", "fn", "precision", "recall");
        for (var e : m.getOrDefault(split, Map.of()).entrySet()) {
            Counts c = e.getValue();
            int tp = c.tp()[0], fp = c.fp()[0], fn = c.fn()[0];
            System.out.printf("  %-28s %6d %6d %6d %9s %7s%n", e.getKey(), tp, fp, fn, ratio(tp, tp + fp), ratio(tp, tp + fn));
        }
    }

    private static String ratio(int a, int b) {
        return b == 0 ? "-" : String.format("%.3f", (double) a / b);
    }
}
