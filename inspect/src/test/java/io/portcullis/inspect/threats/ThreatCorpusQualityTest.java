package io.portcullis.inspect.threats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the quality targets on the labelled corpus (bench/threats-corpus, both splits): detection of at least
 * 95% in every category (own category reported) and at most 0.1% false positives over benign values.
 * bench/threats-quality prints the full table.
 */
class ThreatCorpusQualityTest {
    @Test
    void corpusMeetsDetectionAndFalsePositiveTargets() throws Exception {
        Path corpus = Path.of("../bench/threats-corpus/corpus.jsonl");
        ObjectMapper om = new ObjectMapper();
        ThreatEngine engine = new ThreatEngine();
        Map<ThreatCategory, int[]> det = new EnumMap<>(ThreatCategory.class);
        int benign = 0, falsePositives = 0;
        List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8);
        for (String line : lines) {
            JsonNode n = om.readTree(line);
            ThreatsQualityBench.Item it = new ThreatsQualityBench.Item(n.get("id").asInt(), n.get("split").asText(), n.get("label").asText(),
                    n.get("category").isNull() ? null : n.get("category").asText(), n.get("kind").asText(), n.get("context").asText(),
                    n.get("value").asText());
            ThreatReport r = ThreatsQualityBench.scan(engine, it);
            if (it.label().equals("attack")) {
                ThreatCategory c = ThreatCategory.valueOf(it.category());
                int[] d = det.computeIfAbsent(c, k -> new int[2]);
                d[1]++;
                if (r.categories().contains(c)) d[0]++;
            } else if (it.kind().equals("value")) {
                benign++;
                if (r.isAttack()) falsePositives++;
            }
        }
        assertThat(det).hasSize(ThreatCategory.values().length);
        det.forEach((c, d) -> assertThat(100.0 * d[0] / d[1]).as("detection %s (%d/%d)", c, d[0], d[1]).isGreaterThanOrEqualTo(95.0));
        assertThat(benign).isGreaterThan(5000);
        assertThat(100.0 * falsePositives / benign).as("false positives %d/%d", falsePositives, benign).isLessThanOrEqualTo(0.1);
    }
}
