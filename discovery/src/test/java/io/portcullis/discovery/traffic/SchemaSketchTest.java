package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaSketchTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void typesMergeAndRequiredMeansPresentInEveryDocument() throws Exception {
        SchemaSketch s = new SchemaSketch();
        s.add(M.readTree("{\"id\":1,\"name\":\"a\",\"tags\":[\"x\"],\"price\":1}"));
        s.add(M.readTree("{\"id\":2,\"price\":1.5,\"tags\":[],\"owner\":null}"));
        ObjectNode schema = s.toJsonSchema();
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("required").toString()).isEqualTo("[\"id\",\"tags\",\"price\"]");
        assertThat(schema.path("properties").path("price").path("type").asText()).isEqualTo("number");
        assertThat(schema.path("properties").path("tags").path("items").path("type").asText()).isEqualTo("string");
        assertThat(schema.path("properties").path("owner").path("type").asText()).isEqualTo("null");
        assertThat(schema.has("x-truncated")).isFalse();
    }

    @Test
    void propertiesAreCappedExactlyAtTheLimit() {
        ObjectNode atLimit = M.createObjectNode();
        for (int i = 0; i < SchemaSketch.MAX_PROPERTIES; i++) atLimit.put("f" + i, i);
        SchemaSketch s = new SchemaSketch();
        s.add(atLimit);
        assertThat(s.toJsonSchema().path("properties").size()).isEqualTo(SchemaSketch.MAX_PROPERTIES);
        assertThat(s.toJsonSchema().has("x-truncated")).isFalse();
        ObjectNode over = atLimit.deepCopy().put("one_more", 1);
        SchemaSketch t = new SchemaSketch();
        t.add(over);
        assertThat(t.toJsonSchema().path("properties").size()).isEqualTo(SchemaSketch.MAX_PROPERTIES);
        assertThat(t.toJsonSchema().path("x-truncated").asBoolean()).isTrue();
    }

    @Test
    void depthAndTotalSizeAreBoundedWhateverTheInput() throws Exception {
        String deep = "[".repeat(50) + "1" + "]".repeat(50);
        SchemaSketch s = new SchemaSketch();
        s.add(M.readTree(deep));
        JsonNode schema = s.toJsonSchema();
        int depth = 0;
        for (JsonNode n = schema; n.has("items"); n = n.path("items")) depth++;
        assertThat(depth).isEqualTo(SchemaSketch.MAX_DEPTH);
        assertThat(schema.path("x-truncated").asBoolean()).isTrue();

        SchemaSketch wide = new SchemaSketch();
        for (int d = 0; d < 100; d++) {
            ObjectNode doc = M.createObjectNode();
            for (int i = 0; i < 60; i++) doc.putObject("o" + d + "_" + i).put("v", 1);
            wide.add(doc);
        }
        assertThat(count(wide.toJsonSchema())).isLessThanOrEqualTo(SchemaSketch.MAX_NODES);
    }

    private static int count(JsonNode schema) {
        int c = 1;
        for (JsonNode p : schema.path("properties")) c += count(p);
        if (schema.has("items")) c += count(schema.path("items"));
        return c;
    }

    @Test
    void valuesAreNeverKept() throws Exception {
        SchemaSketch s = new SchemaSketch();
        s.add(M.readTree("{\"card\":\"4242424242424242\",\"email\":\"jane@example.com\"}"));
        assertThat(s.toJsonSchema().toString()).doesNotContain("4242").doesNotContain("jane");
    }
}
