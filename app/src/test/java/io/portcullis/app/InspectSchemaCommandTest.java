package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectSchemaCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<Map<String, Object>> lines() throws IOException {
            var m = new ObjectMapper();
            var list = new java.util.ArrayList<Map<String, Object>>();
            for (String l : out.split("\n")) if (!l.isBlank()) list.add(m.readValue(l, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            return list;
        }
    }

    static String spec(String name) {
        try {
            return Path.of(InspectSchemaCommandTest.class.getResource("/inspect-schema/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path body(String json) throws IOException {
        Path p = Files.createTempFile(dir, "body", ".json");
        Files.writeString(p, json, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void aConformingBodyExitsZeroWithNoOutput() throws IOException {
        var r = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "GET /v1/customers/cus_1",
                "--status", "200", body("{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1}").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void findingsArePrintedAsJsonLinesAndExitOne() throws IOException {
        var r = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "GET /v1/customers/cus_1",
                "--status", "200", body("{\"id\":\"acct_topsecret\",\"object\":\"customer\",\"created\":\"soon\"}").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).extracting(m -> (Object) m.get("path")).containsExactlyInAnyOrder("$.id", "$.created");
        assertThat(r.lines()).allSatisfy(m -> {
            assertThat(m.get("kind")).isEqualTo("SCHEMA_VIOLATION");
            assertThat(m.get("operation")).isEqualTo("GET /customers/{id}");
            assertThat(List.copyOf(m.keySet())).containsExactly("kind", "operation", "path", "reason", "excerpt");
        });
        assertThat(r.out()).doesNotContain("topsecret").doesNotContain("soon");
    }

    @Test
    void strictUnknownFieldsRequestsAndSwagger2AreSupported() throws IOException {
        var strict = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--unknown-fields", "reject",
                "--operation", "GET /v1/customers/cus_1", body("{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"x\":1}").toString());
        assertThat(strict.exit()).isEqualTo(1);
        var req = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--request",
                "--operation", "POST /v1/customers", body("{\"name\":\"no email\"}").toString());
        assertThat(req.exit()).isEqualTo(1);
        assertThat(req.out()).contains("SCHEMA_VIOLATION");
        var v2 = run("inspect", "schema", "--spec", spec("legacy-swagger2.yaml"), "--operation", "GET /rest/v2/contacts/9",
                body("{\"id\":9,\"name\":\"Ada\"}").toString());
        assertThat(v2.exit()).isZero();
    }

    @Test
    void malformedBodiesAreFindingsNotCrashes() throws IOException {
        var r = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "GET /v1/customers/cus_1",
                body("{\"id\": [1, 2").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).singleElement().satisfies(m -> assertThat(m.get("kind")).isEqualTo("BODY_NOT_JSON"));
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void errorsExitTwoWithAMessage() throws IOException {
        var bad = run("inspect", "schema", "--spec", spec("broken-ref.yaml"), "--operation", "GET /x", body("{}").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("broken-ref.yaml").contains("cannot be compiled");
        var missingFile = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "GET /v1/customers/c",
                dir.resolve("nope.json").toString());
        assertThat(missingFile.exit()).isEqualTo(2);
        var badOp = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "customers", body("{}").toString());
        assertThat(badOp.exit()).isEqualTo(2);
        assertThat(badOp.err()).contains("--operation must look like");
        var noSpec = run("inspect", "schema", "--operation", "GET /x", body("{}").toString());
        assertThat(noSpec.exit()).isEqualTo(2);
        var unknownOp = run("inspect", "schema", "--spec", spec("payments-openapi30.yaml"), "--operation", "GET /v1/unknown", body("{}").toString());
        assertThat(unknownOp.exit()).isEqualTo(1);
        assertThat(unknownOp.out()).contains("UNKNOWN_OPERATION");
    }
}
