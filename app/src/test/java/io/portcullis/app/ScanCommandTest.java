package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.control.store.InventoryStore;
import io.portcullis.control.store.StoredFinding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScanCommandTest {
    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Main());
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void printsOneJsonLinePerFindingAndExitsOneWhenSomethingIsFound(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pay.py"), "import stripe\nURL = 'https://api.stripe.com/v1/charges?key=x'\n");
        Files.writeString(dir.resolve("requirements.txt"), "stripe==9.0.0\n");
        Result r = run("scan", "repo", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("kind").asText()).isEqualTo("sdk");
        assertThat(first.get("vendor").asText()).isEqualTo("stripe");
        assertThat(first.get("file").asText()).isEqualTo("pay.py");
        assertThat(first.get("line").asInt()).isEqualTo(1);
        assertThat(json.readTree(lines.get(1)).get("detail").asText()).isEqualTo("https://api.stripe.com/v1/charges");
        assertThat(json.readTree(lines.get(2)).get("kind").asText()).isEqualTo("dependency");
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("scan: 2 files").contains("findings: endpoint=1 sdk=1 dependency=1 secret=0");
    }

    @Test
    void exitsZeroForACleanTreeAndTwoForAMissingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("main.go"), "package main\nfunc main() {}\n");
        assertThat(run("scan", "repo", dir.toString()).exit()).isZero();
        Result missing = run("scan", "repo", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot scan").doesNotContain("Exception\n\tat ");
        assertThat(run("scan", "repo", dir.toString(), "--threads", "0").exit()).isEqualTo(2);
    }

    @Test
    void recordsFindingsInTheStoreWhenAsked(@TempDir Path dir) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("notify.js"), "const sg = require('@sendgrid/mail');\n");
        String store = dir.resolve("inventory").toString();
        Result r = run("scan", "repo", repo.toString(), "--store", store);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(1);
        try (InventoryStore s = InventoryStore.open(store)) {
            assertThat(s.latestFindings(repo.toAbsolutePath().normalize().toString())).extracting(StoredFinding::finding)
                    .extracting(f -> f.vendor() + " " + f.detail()).containsExactly("sendgrid require('@sendgrid/mail')");
        }
    }
}
