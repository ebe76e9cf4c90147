package io.portcullis.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InspectThreatsCommandTest {
    record Run(int exit, String out, String err) {}

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        InspectThreatsCommand cmd = new InspectThreatsCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(cmd).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void linesModePrintsOneJsonLinePerValueAndExitsOneOnFindings() {
        Run r = run("O'Reilly Media\n' OR 1=1--\nhttp://169.254.169.254/latest/meta-data/\n", "--lines", "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines().toList()).containsExactly(
                "{\"line\":1,\"verdict\":\"clean\",\"categories\":[],\"score\":0}",
                "{\"line\":2,\"verdict\":\"attack\",\"categories\":[\"SQLI\"],\"score\":90}",
                "{\"line\":3,\"verdict\":\"attack\",\"categories\":[\"SSRF\"],\"score\":97}");
    }

    @Test
    void cleanInputExitsZero() {
        Run r = run("Thanks, the package arrived!\nZürich\n", "--lines");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"verdict\":\"clean\"").doesNotContain("attack");
    }

    @Test
    void jsonBodyFromAFileReportsPathsWithoutThePayload(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("resp.json");
        Files.writeString(f, "{\"customer\":{\"name\":\"Ann\",\"notes\":\"<svg onload=alert(document.domain)>\"}}");
        Run r = run("", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("\"path\":\"$.customer.notes\"", "\"categories\":[\"XSS\"]")
                .doesNotContain("document.domain");
    }

    @Test
    void malformedJsonIsAVerdictNotACrash() {
        Run r = run("{\"a\":[1,2", "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("\"malformed\":\"truncated JSON (unexpected end of input)\"");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void missingFileIsExitTwoWithAClearMessage() {
        Run r = run("", "/nonexistent/body.json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("portcullis inspect threats: no such file: /nonexistent/body.json" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void registeredUnderInspect() {
        CommandLine main = new CommandLine(new Main());
        assertThat(main.getSubcommands().get("inspect").getSubcommands()).containsKey("threats");
    }
}
