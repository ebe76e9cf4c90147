package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.audit.AuditLogSink;
import io.portcullis.core.event.Direction;
import io.portcullis.core.event.ExchangeEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static Path writeLog(Path dir, int n, byte[] key, long maxBytes) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLogSink sink = new AuditLogSink(AuditLogSink.Options.defaults(file).withChainKey(key)
                .withMaxFileBytes(maxBytes).withKeepFiles(100))) {
            for (int i = 1; i <= n; i++) {
                sink.accept(ExchangeEvent.builder(Instant.EPOCH.plusSeconds(i), "req-" + i, Direction.OUTBOUND)
                        .method("GET").path("/v1/items/" + i).status(200).build());
            }
        }
        return file;
    }

    @Test
    void intactDirectoryOfRotatedFilesExitsZeroWithOneLineSummary(@TempDir Path dir) throws Exception {
        writeLog(dir, 60, null, 4096);
        assertThat(Files.exists(dir.resolve("audit.jsonl.2"))).isTrue();
        assertThat(run("audit", "verify", "--require-genesis", dir.toString())).isZero();
        assertThat(out.toString().strip()).startsWith("OK: 60 records in").contains("from genesis").doesNotContain("\n");
    }

    @Test
    void filesGivenInShellGlobOrderAreVerifiedInRotationOrder(@TempDir Path dir) throws Exception {
        writeLog(dir, 60, null, 4096);
        List<String> args = new ArrayList<>(List.of("audit", "verify"));
        try (var s = Files.list(dir)) {
            s.map(Path::toString).sorted().forEach(args::add);
        }
        assertThat(run(args.toArray(String[]::new))).isZero();
    }

    @Test
    void aTamperedLineExitsOneNamingLineAndSeq(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null, 1 << 20);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("/v1/items/3", "/v1/items/9"));
        Files.write(file, lines);
        assertThat(run("audit", "verify", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("BROKEN: TAMPERED").contains("line 3").contains("seq 3");
    }

    @Test
    void aDeletedLineExitsOne(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null, 1 << 20);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);
        assertThat(run("audit", "verify", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("BROKEN: MISSING").contains("expected seq 2, actual seq 3");
    }

    @Test
    void anchorFromAnEarlierRunCatchesTailTruncation(@TempDir Path dir) throws Exception {
        Path file = writeLog(dir, 5, null, 1 << 20);
        assertThat(run("audit", "verify", file.toString())).isZero();
        String head = out.toString().strip().replaceFirst(".*; head ", "");
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 3));
        assertThat(run("audit", "verify", "--anchor", head, file.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("BROKEN: MISSING").contains("tail truncated");
        assertThat(run("audit", "verify", "--anchor", "nonsense", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("SEQ:HASH");
    }

    @Test
    void missingFileOrNoArgumentsExitTwoWithoutAStackTrace(@TempDir Path dir) {
        assertThat(run("audit", "verify", dir.resolve("nope.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("ERROR: no such file").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run("audit", "verify")).isEqualTo(2);
        assertThat(run("audit")).isEqualTo(2);
    }

    @Test
    void hmacChainIsVerifiedWithAKeyFileAndRefusedWithoutAKey(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        byte[] key = "cli-test-key-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = writeLog(logs, 3, key, 1 << 20);
        Path keyFile = Files.writeString(dir.resolve("key"), "cli-test-key-0123456789\n");
        assertThat(run("audit", "verify", "--key-file", keyFile.toString(), file.toString())).isZero();
        if (System.getenv("PORTCULLIS_AUDIT_KEY") == null) {
            assertThat(run("audit", "verify", file.toString())).isEqualTo(2);
            assertThat(err.toString()).contains("PORTCULLIS_AUDIT_KEY").doesNotContain("cli-test-key");
        }
        Path badKey = Files.writeString(dir.resolve("bad"), "tiny");
        assertThat(run("audit", "verify", "--key-file", badKey.toString(), file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("at least 16 bytes").doesNotContain("tiny");
    }
}
