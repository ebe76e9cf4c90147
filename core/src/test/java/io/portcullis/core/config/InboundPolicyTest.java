package io.portcullis.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy.Action;
import io.portcullis.core.config.InboundPolicy.FailMode;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.core.config.InboundPolicy.UnknownFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundPolicyTest {
    @TempDir
    Path dir;

    InboundPolicy read(String yaml, ConfigProblems problems) {
        var root = ConfigNode.parse(yaml, problems);
        return InboundPolicy.read(root.mapping("inbound"));
    }

    @Test
    void theFullSectionIsReadWithSpecPathsRelativeToTheConfigFile() throws IOException {
        Files.createDirectories(dir.resolve("specs"));
        Files.writeString(dir.resolve("specs/a.yaml"), "openapi: 3.0.3");
        Files.writeString(dir.resolve("specs/b.json"), "{}");
        var problems = new ConfigProblems(dir.resolve("portcullis.yaml").toString());
        var p = read("""
                inbound:
                  schema:
                    spec: [specs/a.yaml, specs/b.json]
                    mode: report
                    unknownFields: reject
                    validateRequests: true
                  limits:
                    maxBodySize: 2MiB
                    maxDepth: 32
                    maxArrayLength: 500
                    maxStringLength: 4096
                    maxNumberLength: 40
                    maxObjectKeys: 200
                    maxCompressionRatio: 50
                    action: report
                  threats: {action: report}
                  malware: {scan: true, failMode: open, maxScanSize: 5MiB}
                """, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(p.schema().spec()).containsExactly(dir.resolve("specs/a.yaml"), dir.resolve("specs/b.json"));
        assertThat(p.schema().mode()).isEqualTo(Mode.REPORT);
        assertThat(p.schema().unknownFields()).isEqualTo(UnknownFields.REJECT);
        assertThat(p.schema().validateRequests()).isTrue();
        assertThat(p.limits()).isEqualTo(new InboundPolicy.Limits(2L << 20, 32, 500, 4096, 40, 200, 50, Action.REPORT));
        assertThat(p.threats().action()).isEqualTo(Action.REPORT);
        assertThat(p.malware()).isEqualTo(new InboundPolicy.Malware(true, FailMode.OPEN, 5L << 20));
    }

    @Test
    void anAbsentSectionMeansSafeDefaults() {
        var problems = new ConfigProblems("c.yaml");
        var p = read("other: 1\n", problems);
        assertThat(p).isEqualTo(InboundPolicy.DEFAULT);
        assertThat(p.malware().failMode()).isEqualTo(FailMode.CLOSED);
        assertThat(p.limits().action()).isEqualTo(Action.BLOCK);
        var q = read("inbound:\n  malware: {}\n  schema: {mode: off}\n", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(q.malware().scan()).as("writing a malware section turns scanning on").isTrue();
        assertThat(q.malware().failMode()).isEqualTo(FailMode.CLOSED);
    }

    @Test
    void mistakesAreReportedWithLineColumnAndAFix() {
        var problems = new ConfigProblems("portcullis.yaml");
        read("""
                inbound:
                  schema:
                    spec: missing.yaml
                    mode: strict
                  limits:
                    maxDepht: 10
                    maxArrayLength: -1
                  malware:
                    failMode: sideways
                """, problems);
        List<ConfigProblem> list = problems.list();
        assertThat(list).extracting(ConfigProblem::render).anySatisfy(r -> assertThat(r)
                .startsWith("portcullis.yaml:3:11: spec file 'missing.yaml' not found"));
        assertThat(list).extracting(ConfigProblem::render).anySatisfy(r -> assertThat(r)
                .startsWith("portcullis.yaml:4:11: 'strict' is not one of [enforce, report, off]").contains("fix: write one of"));
        assertThat(list).extracting(ConfigProblem::render).anySatisfy(r -> assertThat(r)
                .startsWith("portcullis.yaml:6:5: unknown key 'maxDepht'").contains("did you mean 'maxDepth'?"));
        assertThat(list).extracting(ConfigProblem::render).anySatisfy(r -> assertThat(r)
                .startsWith("portcullis.yaml:7:21: value -1 is out of range"));
        assertThat(list).extracting(ConfigProblem::render).anySatisfy(r -> assertThat(r)
                .startsWith("portcullis.yaml:9:15: 'sideways' is not one of [closed, open]"));
        assertThat(list).hasSize(5);
    }

    @Test
    void enforcingWithoutASpecIsAnError() {
        var problems = new ConfigProblems("c.yaml");
        read("inbound:\n  schema:\n    mode: enforce\n", problems);
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("needs a spec");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void sizeLimitsAreCheckedAtTheirEdges() {
        var problems = new ConfigProblems("c.yaml");
        var p = read("inbound:\n  limits: {maxBodySize: 2GiB, maxDepth: 1, maxNumberLength: 1}\n", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(p.limits().maxBodySize()).isEqualTo(1L << 31);
        read("inbound:\n  limits: {maxBodySize: 2147483649, maxDepth: 0}\n", problems);
        assertThat(problems.list()).hasSize(2);
    }
}
