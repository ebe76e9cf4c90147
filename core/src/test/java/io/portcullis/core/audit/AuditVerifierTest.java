package io.portcullis.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.event.Direction;
import io.portcullis.core.event.ExchangeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierTest {

    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);

    static Path writeLog(Path dir, int records, byte[] key) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLogSink sink = new AuditLogSink(AuditLogSink.Options.defaults(file).withChainKey(key))) {
            for (int i = 1; i <= records; i++) {
                sink.accept(ExchangeEvent.builder(Instant.EPOCH.plusSeconds(i), "req-" + i, Direction.OUTBOUND)
                        .app("app").vendor("v").api("a").method("GET").path("/x/" + i).status(200).build());
            }
        }
        return file;
    }

    static AuditVerifier.Result verify(Path file) {
        return new AuditVerifier(null, false).verify(List.of(file));
    }

    static AuditVerifier.Broken broken(AuditVerifier.Result r) {
        assertThat(r).isInstanceOf(AuditVerifier.Broken.class);
        assertThat(r.exitCode()).isEqualTo(1);
        return (AuditVerifier.Broken) r;
    }

    @Test
    void anUntouchedLogVerifiesFromGenesis(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 10, null);
        AuditVerifier.Result r = new AuditVerifier(null, true).verify(List.of(file));
        assertThat(r).isInstanceOfSatisfying(AuditVerifier.Intact.class, ok -> {
            assertThat(ok.records()).isEqualTo(10);
            assertThat(ok.fromGenesis()).isTrue();
            assertThat(ok.lastSeq()).isEqualTo(10);
        });
        assertThat(r.summary()).startsWith("OK: 10 records in 1 file(s) intact, seq 1..10 from genesis");
    }

    @Test
    void anEditedLineIsReportedAsTamperedWithItsLineAndHashes(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 10, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(4, lines.get(4).replace("\"status_code\":200", "\"status_code\":403"));
        Files.write(file, lines);
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.TAMPERED);
        assertThat(b.line()).isEqualTo(5);
        assertThat(b.seq()).isEqualTo(5);
        assertThat(b.expected()).hasSize(64).isNotEqualTo(b.actual());
        assertThat(b.summary()).contains("TAMPERED").contains("line 5").contains("seq 5").contains("4 records verified");
    }

    @Test
    void aDeletedLineIsReportedAsMissing(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 10, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(6);
        Files.write(file, lines);
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MISSING);
        assertThat(b.line()).isEqualTo(7);
        assertThat(b.expected()).isEqualTo("seq 7");
        assertThat(b.actual()).isEqualTo("seq 8");
    }

    @Test
    void reorderedLinesAreDetected(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 10, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        Files.write(file, lines);
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.problem()).isIn(AuditVerifier.Problem.MISSING, AuditVerifier.Problem.OUT_OF_ORDER);
    }

    @Test
    void aDuplicatedLineIsReportedOutOfOrder(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(3, lines.get(2));
        Files.write(file, lines);
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.OUT_OF_ORDER);
        assertThat(b.line()).isEqualTo(4);
    }

    @Test
    void aTruncatedLastLineIsMalformed(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 40));
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MALFORMED);
        assertThat(b.line()).isEqualTo(5);
        assertThat(b.verified()).isEqualTo(4);
    }

    @Test
    void aMissingNewlineAloneLosesNothingAndPasses(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 3, null);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 1));
        assertThat(verify(file).exitCode()).isZero();
    }

    @Test
    void aRecordRechainedWithARecomputedHashButTheOldPrevIsABrokenLink(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // Forge record 3 with a fresh hash (attacker without a key can do this) but pointing at a made-up prev.
        String forged = rehash(lines.get(2).replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + "1".repeat(64) + "\""));
        lines.set(2, forged);
        Files.write(file, lines);
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.BROKEN_LINK);
        assertThat(b.line()).isEqualTo(3);
    }

    /**
     * Documents the threat model: without a key, an attacker who rewrites a record and recomputes every later hash
     * is not detected; with an HMAC key, the same rewrite is.
     */
    @Test
    void aFullyRecomputedTailPassesSha256ButNotHmac(@TempDir Path dir) throws Exception {
        Path plain = writeLog(dir.resolve("plain").toAbsolutePath(), 5, null);
        Files.write(plain, rewriteAndRechain(Files.readAllLines(plain)));
        assertThat(verify(plain).exitCode()).isZero(); // undetectable without a key: documented limitation

        Path keyed = writeLog(Files.createDirectories(dir.resolve("keyed")), 5, KEY);
        assertThat(new AuditVerifier(KEY, true).verify(List.of(keyed)).exitCode()).isZero();
        Files.write(keyed, rewriteAndRechain(Files.readAllLines(keyed)));
        AuditVerifier.Broken b = broken(new AuditVerifier(KEY, true).verify(List.of(keyed)));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.TAMPERED);
        assertThat(b.summary()).contains("not HMAC-chained");
    }

    @Test
    void hmacChainsNeedTheKeyAndRejectAWrongOne(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 3, KEY);
        AuditVerifier.Result noKey = verify(file);
        assertThat(noKey).isInstanceOf(AuditVerifier.Unreadable.class);
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.summary()).contains("PORTCULLIS_AUDIT_KEY");
        byte[] wrong = "another-key-of-16-bytes+".getBytes(StandardCharsets.UTF_8);
        AuditVerifier.Broken b = broken(new AuditVerifier(wrong, false).verify(List.of(file)));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.TAMPERED);
        assertThat(b.line()).isEqualTo(1);
    }

    @Test
    void aMissingRotatedFileInTheMiddleIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLogSink sink = new AuditLogSink(AuditLogSink.Options.defaults(file).withMaxFileBytes(4096)
                .withKeepFiles(5))) {
            for (int i = 0; i < 40; i++) {
                sink.accept(ExchangeEvent.builder(Instant.EPOCH, "req-" + i, Direction.OUTBOUND)
                        .path("/p/" + "x".repeat(200)).status(200).build());
            }
        }
        Files.delete(dir.resolve("audit.jsonl.2"));
        List<Path> files = AuditVerifier.rotationOrder(List.of(dir));
        AuditVerifier.Broken b = broken(new AuditVerifier(null, false).verify(files));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MISSING);
        assertThat(b.file()).isEqualTo(dir.resolve("audit.jsonl.1"));
        assertThat(b.line()).isEqualTo(1);
    }

    @Test
    void requireGenesisReportsRotatedAwayHead(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 4, null);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(1, lines.size()));
        assertThat(new AuditVerifier(null, false).verify(List.of(file)).exitCode()).isZero();
        AuditVerifier.Broken b = broken(new AuditVerifier(null, true).verify(List.of(file)));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MISSING);
    }

    @Test
    void rotationOrderSortsShellGlobOrderOldestFirst(@TempDir Path dir) throws Exception {
        for (String n : List.of("audit.jsonl", "audit.jsonl.1", "audit.jsonl.10", "audit.jsonl.2")) {
            Files.writeString(dir.resolve(n), "");
        }
        List<Path> in = List.of(dir.resolve("audit.jsonl"), dir.resolve("audit.jsonl.1"),
                dir.resolve("audit.jsonl.10"), dir.resolve("audit.jsonl.2"));
        assertThat(AuditVerifier.rotationOrder(in)).containsExactly(dir.resolve("audit.jsonl.10"),
                dir.resolve("audit.jsonl.2"), dir.resolve("audit.jsonl.1"), dir.resolve("audit.jsonl"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> AuditVerifier.rotationOrder(List.of(dir.resolve("nope.jsonl"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }

    @Test
    void recordsLongerThanTheReadChunkVerifyAndAreCheckedWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLogSink sink = new AuditLogSink(AuditLogSink.Options.defaults(file))) {
            for (int r = 0; r < 4; r++) {
                ExchangeEvent.Builder b = ExchangeEvent.builder(Instant.EPOCH, "big-" + r, Direction.OUTBOUND);
                for (int i = 0; i < 64; i++) {
                    b.attribute("note" + i, Integer.toString(r).repeat(1000));
                }
                sink.accept(b.build());
            }
        }
        assertThat(Files.size(file)).isGreaterThan(3 * 65_536);
        assertThat(verify(file).exitCode()).isZero();
        String content = Files.readString(file);
        int middle = content.indexOf("1111111111", content.indexOf('\n') + 40_000);
        Files.writeString(file, content.substring(0, middle) + "2" + content.substring(middle + 1));
        AuditVerifier.Broken b = broken(verify(file));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.TAMPERED);
        assertThat(b.line()).isEqualTo(2);
    }

    @Test
    void anAnchorTakenEarlierDetectsTailTruncationAndRewrites(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 6, null);
        AuditVerifier.Intact ok = (AuditVerifier.Intact) verify(file);
        AuditVerifier.Anchor head = AuditVerifier.Anchor.parse(ok.summary().replaceFirst(".*; head ", ""));
        assertThat(head.seq()).isEqualTo(6);
        assertThat(new AuditVerifier(null, false).withAnchor(head).verify(List.of(file)).exitCode()).isZero();

        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 4)); // cut the last two whole records: invisible without the anchor
        assertThat(verify(file).exitCode()).isZero();
        AuditVerifier.Broken b = broken(new AuditVerifier(null, false).withAnchor(head).verify(List.of(file)));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MISSING);
        assertThat(b.summary()).contains("tail truncated");

        Files.write(file, rewriteAndRechain(lines)); // rewritten and re-hashed: the anchor no longer matches
        b = broken(new AuditVerifier(null, false).withAnchor(head).verify(List.of(file)));
        assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.TAMPERED);
        assertThat(b.line()).isEqualTo(6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditVerifier.Anchor.parse("12"))
                .hasMessageContaining("SEQ:HASH");
    }

    @Test
    void garbageInputIsMalformedNotACrash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.jsonl");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        assertThat(broken(verify(file)).problem()).isEqualTo(AuditVerifier.Problem.MALFORMED);
        Files.writeString(file, "\n");
        assertThat(broken(verify(file)).problem()).isEqualTo(AuditVerifier.Problem.MALFORMED);
        Files.writeString(file, "");
        assertThat(verify(file).summary()).isEqualTo("OK: no records in 1 file(s)");
    }

    /** Changes the status of record 2 and recomputes every later SHA-256 hash, as an attacker without a key could. */
    private static List<String> rewriteAndRechain(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (i == 1) {
                l = l.replace("\"status_code\":200", "\"status_code\":500");
            }
            if (prev != null) {
                l = l.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
            }
            l = rehash(l.replace("\"alg\":\"hmac-sha256\"", "\"alg\":\"sha256\""));
            prev = AuditChain.parse(l).hash();
            out.add(l);
        }
        return out;
    }

    private static String rehash(String line) throws Exception {
        String canonical = line.replaceFirst(",\"hash\":\"[0-9a-f]{64}\"", "");
        String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        return line.replaceFirst("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + h + "\"");
    }
}
