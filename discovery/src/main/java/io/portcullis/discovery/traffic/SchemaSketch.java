package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, mergeable sketch of the JSON documents seen for one operation, rendered as a JSON Schema.
 *
 * <p>Guarantees: at most {@link #MAX_NODES} schema nodes per sketch, at most {@link #MAX_DEPTH} levels and
 * {@link #MAX_PROPERTIES} properties per object; anything beyond is dropped and the sketch is marked truncated
 * ({@code x-truncated: true}). Only types and property names are kept, never values. Not thread-safe.
 */
public final class SchemaSketch {
    public static final int MAX_DEPTH = 8;
    public static final int MAX_PROPERTIES = 64;
    public static final int MAX_NODES = 256;
    /** Arrays: only the first elements are sampled. */
    private static final int ARRAY_SAMPLE = 8;

    static final int NULL = 1, BOOLEAN = 2, INTEGER = 4, NUMBER = 8, STRING = 16, ARRAY = 32, OBJECT = 64;

    private final Shape root = new Shape();
    private int nodes = 1;
    private boolean truncated;
    private long documents;

    private static final class Shape {
        int types;
        long objects;
        LinkedHashMap<String, Shape> properties;
        LinkedHashMap<String, Long> presence;
        Shape items;
    }

    /** Adds one document. */
    public void add(JsonNode document) {
        if (document == null || document.isMissingNode()) return;
        documents++;
        add(root, document, 0);
    }

    public long documents() {
        return documents;
    }

    /** Folds another sketch into this one (used when the learner merges two operations). */
    public void merge(SchemaSketch other) {
        if (other == null) return;
        documents += other.documents;
        truncated |= other.truncated;
        merge(root, other.root, 0);
    }

    private void add(Shape shape, JsonNode node, int depth) {
        if (node.isNull()) {
            shape.types |= NULL;
        } else if (node.isBoolean()) {
            shape.types |= BOOLEAN;
        } else if (node.isIntegralNumber()) {
            shape.types |= INTEGER;
        } else if (node.isNumber()) {
            shape.types |= NUMBER;
        } else if (node.isTextual() || node.isBinary()) {
            shape.types |= STRING;
        } else if (node.isArray()) {
            shape.types |= ARRAY;
            if (depth >= MAX_DEPTH) {
                truncated = true;
                return;
            }
            int i = 0;
            for (JsonNode item : node) {
                if (i++ >= ARRAY_SAMPLE) break;
                if (shape.items == null) {
                    if (!reserve()) return;
                    shape.items = new Shape();
                }
                add(shape.items, item, depth + 1);
            }
        } else if (node.isObject()) {
            shape.types |= OBJECT;
            shape.objects++;
            if (depth >= MAX_DEPTH) {
                truncated = true;
                return;
            }
            if (shape.properties == null) {
                shape.properties = new LinkedHashMap<>();
                shape.presence = new LinkedHashMap<>();
            }
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                Shape child = shape.properties.get(f.getKey());
                if (child == null) {
                    if (shape.properties.size() >= MAX_PROPERTIES || !reserve()) {
                        truncated = true;
                        continue;
                    }
                    child = new Shape();
                    shape.properties.put(f.getKey(), child);
                }
                shape.presence.merge(f.getKey(), 1L, Long::sum);
                add(child, f.getValue(), depth + 1);
            }
        }
    }

    private void merge(Shape into, Shape from, int depth) {
        into.types |= from.types;
        into.objects += from.objects;
        if (depth >= MAX_DEPTH) return;
        if (from.items != null) {
            if (into.items == null) {
                if (!reserve()) return;
                into.items = new Shape();
            }
            merge(into.items, from.items, depth + 1);
        }
        if (from.properties != null) {
            if (into.properties == null) {
                into.properties = new LinkedHashMap<>();
                into.presence = new LinkedHashMap<>();
            }
            for (Map.Entry<String, Shape> e : from.properties.entrySet()) {
                Shape child = into.properties.get(e.getKey());
                if (child == null) {
                    if (into.properties.size() >= MAX_PROPERTIES || !reserve()) {
                        truncated = true;
                        continue;
                    }
                    child = new Shape();
                    into.properties.put(e.getKey(), child);
                }
                into.presence.merge(e.getKey(), from.presence.getOrDefault(e.getKey(), 0L), Long::sum);
                merge(child, e.getValue(), depth + 1);
            }
        }
    }

    private boolean reserve() {
        if (nodes >= MAX_NODES) {
            truncated = true;
            return false;
        }
        nodes++;
        return true;
    }

    /** The sketch as a JSON Schema (2020-12 vocabulary, as used by OpenAPI 3.1), or {@code null} when empty. */
    public ObjectNode toJsonSchema() {
        if (documents == 0) return null;
        ObjectNode schema = render(root);
        if (truncated) schema.put("x-truncated", true);
        return schema;
    }

    private static ObjectNode render(Shape shape) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        int types = shape.types;
        if ((types & NUMBER) != 0) types &= ~INTEGER;
        ArrayNode names = f.arrayNode();
        if ((types & OBJECT) != 0) names.add("object");
        if ((types & ARRAY) != 0) names.add("array");
        if ((types & STRING) != 0) names.add("string");
        if ((types & NUMBER) != 0) names.add("number");
        if ((types & INTEGER) != 0) names.add("integer");
        if ((types & BOOLEAN) != 0) names.add("boolean");
        if ((types & NULL) != 0) names.add("null");
        if (names.size() == 1) out.set("type", names.get(0));
        else if (names.size() > 1) out.set("type", names);
        if (shape.properties != null && !shape.properties.isEmpty()) {
            ObjectNode props = out.putObject("properties");
            ArrayNode required = f.arrayNode();
            for (Map.Entry<String, Shape> e : shape.properties.entrySet()) {
                props.set(e.getKey(), render(e.getValue()));
                if (shape.presence.getOrDefault(e.getKey(), 0L) == shape.objects) required.add(e.getKey());
            }
            if (!required.isEmpty()) out.set("required", required);
        }
        if (shape.items != null) out.set("items", render(shape.items));
        return out;
    }
}
