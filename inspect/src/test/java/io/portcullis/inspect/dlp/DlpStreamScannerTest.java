package io.portcullis.inspect.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DlpStreamScannerTest {
    private static final DlpEngine ENGINE = DlpEngine.builtIn();

    private record Run(byte[] released, List<Finding> findings, int maxBuffered) {}

    private static Run stream(String body, int chunk, boolean json) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var s = new DlpStreamScanner(ENGINE, json, 256);
        var out = new ByteArrayOutputStream();
        var findings = new ArrayList<Finding>();
        int max = 0;
        for (int off = 0; off < b.length; off += chunk) {
            int n = Math.min(chunk, b.length - off);
            var r = s.feed(b, off, n, off + n == b.length);
            assertThat(r.offset()).isEqualTo(out.size());
            out.writeBytes(r.bytes());
            findings.addAll(r.findings());
            max = Math.max(max, s.buffered());
        }
        return new Run(out.toByteArray(), findings, max);
    }

    @Test
    void valuesSplitAcrossEveryChunkBoundaryAreFoundOnceWithAbsoluteOffsetsAndPaths() {
        String body = "{\"a\":\"" + "x".repeat(300) + "\",\"card\":{\"number\":\"4539 1488 0343 6467\"},\"e\":\"jo@corp.com\"}";
        var whole = ENGINE.scan(body.getBytes(StandardCharsets.UTF_8));
        for (int chunk = 1; chunk <= 40; chunk++) {
            var run = stream(body, chunk, true);
            assertThat(run.released()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            assertThat(run.findings()).as("chunk " + chunk).isEqualTo(whole);
        }
    }

    @Test
    void findingIsReportedBeforeAnyOfItsBytesAreReleased() {
        String body = "y".repeat(500) + " card 4539148803436467 " + "z".repeat(500);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var s = new DlpStreamScanner(ENGINE, false, 128);
        long releasedSoFar = 0;
        for (int off = 0; off < b.length; off += 7) {
            int n = Math.min(7, b.length - off);
            var r = s.feed(b, off, n, off + n == b.length);
            for (Finding f : r.findings()) assertThat(f.start()).isGreaterThanOrEqualTo(releasedSoFar);
            releasedSoFar += r.bytes().length;
            if (!r.findings().isEmpty()) return;
        }
        throw new AssertionError("card not found");
    }

    @Test
    void memoryStaysBoundedWhateverTheBodySize() {
        String body = "lorem ipsum dolor sit amet 12 34, ".repeat(30_000);
        var run = stream(body, 4096, false);
        assertThat(run.maxBuffered()).isLessThanOrEqualTo(256 + 4096 + 64);
        assertThat(run.released()).hasSize(body.length());
    }

    @Test
    void releasedChunksCanBeRedactedInPlace() {
        String body = "{\"note\":\"card 4539148803436467 mail jo@corp.com\"}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var s = new DlpStreamScanner(ENGINE, true, 64);
        var out = new ByteArrayOutputStream();
        for (int off = 0; off < b.length; off += 5) {
            int n = Math.min(5, b.length - off);
            var r = s.feed(b, off, n, off + n == b.length);
            byte[] bytes = r.bytes();
            Redaction.apply(bytes, 0, bytes.length, r.offset(), r.findings());
            out.writeBytes(bytes);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"note\":\"card ************6467 mail **@****.***\"}");
    }

    @Test
    void escapedValuesInStreamedJsonAreFoundAcrossChunkBoundaries() {
        String body = "{\"a\":\"" + "x".repeat(300) + "\",\"email\":\"jo.smith\\u0040corp.com\",\"b\":\"" + "y".repeat(300) + "\"}";
        var whole = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
        assertThat(whole).extracting(Finding::type).containsExactly("EMAIL_ADDRESS");
        for (int chunk = 1; chunk <= 40; chunk++) {
            var run = stream(body, chunk, true);
            assertThat(run.findings()).as("chunk " + chunk).isEqualTo(whole);
        }
    }
}
