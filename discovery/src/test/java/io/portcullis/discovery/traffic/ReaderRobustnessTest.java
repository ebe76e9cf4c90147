package io.portcullis.discovery.traffic;

import io.portcullis.discovery.har.HarReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded fuzzing: mutated audit-log lines and HAR documents never escape as anything but a counted skip or a format error. */
class ReaderRobustnessTest {
    private static final String LINE = "{\"@timestamp\":\"2026-11-22T10:15:30.250Z\",\"http\":{\"request\":{\"method\":\"GET\"},"
            + "\"response\":{\"status_code\":200}},\"url\":{\"domain\":\"api.test\",\"path\":\"/v1/x/42\",\"query\":\"a=REDACTED\"},"
            + "\"portcullis\":{\"app\":\"a\",\"data_classes\":[\"email\"]}}";

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(3)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = (byte) "{}[]\":,\\\n".charAt(r.nextInt(9));
                default -> b = java.util.Arrays.copyOf(b, Math.max(1, at));
            }
        }
        return b;
    }

    @Test
    void mutatedAuditLinesAreReadOrSkippedNeverThrown() throws IOException {
        Random r = new Random(11);
        TrafficLearner learner = new TrafficLearner();
        for (int i = 0; i < 3_000; i++) {
            byte[] line = mutate(LINE.getBytes(StandardCharsets.UTF_8), r);
            byte[] text = (LINE + "\n" + new String(line, StandardCharsets.ISO_8859_1) + "\n" + LINE + "\n").getBytes(StandardCharsets.ISO_8859_1);
            ReadResult res = new AuditLogReader().read(new ByteArrayInputStream(text), learner::observe);
            assertThat(res.requests()).isGreaterThanOrEqualTo(2);
            assertThat(res.requests() + res.skipped()).isLessThanOrEqualTo(3 + countNewlines(line));
        }
        assertThat(learner.snapshot().operations()).isNotEmpty();
    }

    private static long countNewlines(byte[] b) {
        long n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }

    @Test
    void mutatedHarDocumentsFailOnlyWithAFormatError() {
        String har = "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"startedDateTime\":\"2026-11-20T09:00:00Z\",\"request\":{\"method\":\"GET\","
                + "\"url\":\"https://a.test/v1/x/1\",\"headers\":[{\"name\":\"Authorization\",\"value\":\"Bearer t\"}],\"queryString\":[]},"
                + "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"application/json\",\"text\":\"{\\\"a\\\":1}\"}}}]}}";
        Random r = new Random(12);
        for (int i = 0; i < 2_000; i++) {
            byte[] doc = mutate(har.getBytes(StandardCharsets.UTF_8), r);
            try {
                new HarReader().read(new ByteArrayInputStream(doc), x -> { });
            } catch (HarReader.HarFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (IOException e) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
    }
}
