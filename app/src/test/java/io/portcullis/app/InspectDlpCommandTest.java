package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectDlpCommandTest {
    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result run(String stdin, String... args) {
        var cmd = new InspectDlpCommand();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        cmd.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int exit = new CommandLine(cmd).execute(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsOneJsonLinePerFindingAndExitsOne() {
        var r = run("{\"card\":{\"number\":\"4111111111111111\"}}", "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip()).isEqualTo("{\"type\":\"CREDIT_CARD_NUMBER\",\"class\":\"PCI\",\"start\":19,\"end\":35,"
                + "\"path\":\"$.card.number\",\"likelihood\":\"UNLIKELY\",\"masked\":\"4111********1111\"}");
    }

    @Test
    void linesModeNumbersLinesAndNeverPrintsValues() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, "{\"msg\":\"ok\"}\n{\"email\":\"jane.roe@corp.com\"}\r\n{\"k\":\"ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A\"}");
        var r = run("", "--lines", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        var lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("\"type\":\"EMAIL_ADDRESS\"").contains("\"line\":2").contains("\"path\":\"$.email\"");
        assertThat(lines[1]).contains("\"type\":\"GITHUB_TOKEN\"").contains("\"line\":3").doesNotContain("aB3dE5");
    }

    @Test
    void cleanInputExitsZeroAndMissingFileExitsTwo() {
        assertThat(run("nothing to see here, order 12345", "-").exit()).isZero();
        var r = run("", dir.resolve("missing.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }
}
