package io.portcullis.inspect.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites an OpenAPI document so that undeclared properties are rejected ({@code unknownFields: reject}).
 *
 * <p>Every object schema with {@code properties} and no {@code additionalProperties} (nor
 * {@code unevaluatedProperties}) gets {@code additionalProperties: false}. {@code allOf} needs care, because
 * {@code additionalProperties} only sees sibling {@code properties}: members of an {@code allOf} (inline or
 * named components referenced from one) are left open, and the schema holding the {@code allOf} is closed over
 * the union of its members' property names instead. Schemas a vendor wrote with explicit
 * {@code additionalProperties} keep the vendor's choice.
 */
final class StrictSchemas {
    private static final String COMPONENTS = "#/components/schemas/";

    private StrictSchemas() {
    }

    /** The same rewrite for a plain JSON Schema document (a vendor's event schema): the root and its {@code $defs}. */
    static void applyToJsonSchema(ObjectNode doc) {
        for (String defs : new String[] {"$defs", "definitions"}) {
            Set<String> allOfMembers = new HashSet<>();
            findAllOfMembers(doc, allOfMembers, 0, "#/" + defs + "/");
            var walker = new StrictSchemas.Walker(doc, allOfMembers);
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path(defs).fields(); it.hasNext(); ) {
                var e = it.next();
                walker.schema(e.getValue(), allOfMembers.contains(e.getKey()), 0);
            }
        }
        new StrictSchemas.Walker(doc, Set.of()).schema(doc, false, 0);
    }

    static void apply(ObjectNode doc) {
        Set<String> allOfMembers = new HashSet<>();
        findAllOfMembers(doc, allOfMembers, 0, COMPONENTS);
        var walker = new StrictSchemas.Walker(doc, allOfMembers);
        JsonNode schemas = doc.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
            var e = it.next();
            walker.schema(e.getValue(), allOfMembers.contains(e.getKey()), 0);
        }
        walker.findSchemas(doc.path("paths"), 0);
        walker.findSchemas(doc.path("webhooks"), 0);
        walker.findSchemas(doc.path("components").path("responses"), 0);
        walker.findSchemas(doc.path("components").path("requestBodies"), 0);
        walker.findSchemas(doc.path("components").path("parameters"), 0);
    }

    private static void findAllOfMembers(JsonNode n, Set<String> out, int depth, String prefix) {
        if (depth > 200) return;
        if (n.isObject()) {
            JsonNode allOf = n.get("allOf");
            if (allOf != null && allOf.isArray()) {
                for (JsonNode m : allOf) {
                    String ref = m.path("$ref").asText("");
                    if (ref.startsWith(prefix)) out.add(ref.substring(prefix.length()));
                }
            }
            for (JsonNode c : n) findAllOfMembers(c, out, depth + 1, prefix);
        } else if (n.isArray()) {
            for (JsonNode c : n) findAllOfMembers(c, out, depth + 1, prefix);
        }
    }

    private record Walker(ObjectNode doc, Set<String> allOfMembers) {

        /** Finds {@code schema:} entries under paths and reusable components (skipping examples). */
        void findSchemas(JsonNode n, int depth) {
            if (depth > 60 || !n.isContainerNode()) return;
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String k = e.getKey();
                    if (k.equals("example") || k.equals("examples") || k.startsWith("x-")) continue;
                    if (k.equals("schema") && e.getValue().isObject()) schema(e.getValue(), false, 0);
                    else findSchemas(e.getValue(), depth + 1);
                }
            } else {
                for (JsonNode c : n) findSchemas(c, depth + 1);
            }
        }

        void schema(JsonNode n, boolean inAllOf, int depth) {
            if (depth > 100 || !(n instanceof ObjectNode s) || s.has("$ref")) return;
            JsonNode allOf = s.get("allOf");
            if (allOf != null && allOf.isArray()) {
                for (JsonNode m : allOf) schema(m, true, depth + 1);
                if (!inAllOf && !hasAdditional(s)) {
                    var names = new LinkedHashSet<String>();
                    collectNames(s, names, 0);
                    ObjectNode props = s.has("properties") && s.get("properties").isObject() ? (ObjectNode) s.get("properties") : s.putObject("properties");
                    for (String name : names) if (!props.has(name)) props.set(name, JsonNodeFactory.instance.objectNode());
                    s.set("additionalProperties", BooleanNode.FALSE);
                }
            } else if (!inAllOf && s.has("properties") && s.get("properties").isObject() && !hasAdditional(s)) {
                s.set("additionalProperties", BooleanNode.FALSE);
            }
            JsonNode props = s.get("properties");
            if (props != null && props.isObject()) for (JsonNode p : props) schema(p, false, depth + 1);
            for (String k : new String[] {"items", "additionalProperties", "not", "contains", "unevaluatedItems"}) {
                JsonNode c = s.get(k);
                if (c != null && c.isObject()) schema(c, false, depth + 1);
            }
            for (String k : new String[] {"anyOf", "oneOf", "prefixItems"}) {
                JsonNode c = s.get(k);
                if (c != null && c.isArray()) for (JsonNode m : c) schema(m, false, depth + 1);
            }
            JsonNode pp = s.get("patternProperties");
            if (pp != null && pp.isObject()) for (JsonNode p : pp) schema(p, false, depth + 1);
        }

        private static boolean hasAdditional(ObjectNode s) {
            return s.has("additionalProperties") || s.has("unevaluatedProperties");
        }

        /** Property names declared by a schema, its allOf members and the components they reference. */
        private void collectNames(JsonNode s, Set<String> names, int depth) {
            if (depth > 20 || s == null || !s.isObject()) return;
            String ref = s.path("$ref").asText("");
            if (ref.startsWith("#/")) {
                collectNames(doc.at(ref.substring(1)), names, depth + 1);
                return;
            }
            JsonNode props = s.get("properties");
            if (props != null && props.isObject()) props.fieldNames().forEachRemaining(names::add);
            JsonNode allOf = s.get("allOf");
            if (allOf != null && allOf.isArray()) for (JsonNode m : allOf) collectNames(m, names, depth + 1);
        }
    }
}
