package io.portcullis.discovery.diff;

import io.swagger.v3.oas.models.media.Schema;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a vendor's documented JSON schema that drift detection compares: types, properties, required names
 * and array items, with {@code allOf} flattened. Bounded to {@value #MAX_DEPTH} levels; recursive schemas stop there.
 *
 * @param types             JSON types allowed (empty = any)
 * @param properties        documented properties (empty when none are documented)
 * @param required          required property names
 * @param items             array item schema, or {@code null}
 * @param openProperties    true when undocumented properties are acceptable (no properties listed, or
 *                          {@code additionalProperties} given as a schema / {@code true} explicitly)
 */
public record DocumentedSchema(Set<String> types, Map<String, DocumentedSchema> properties, Set<String> required,
                               DocumentedSchema items, boolean openProperties) {
    static final int MAX_DEPTH = 8;

    /** Converts a swagger-parser schema (references already resolved). */
    public static DocumentedSchema of(Schema<?> schema) {
        return of(schema, 0, new IdentityHashMap<>());
    }

    @SuppressWarnings("rawtypes") // swagger-models exposes raw Schema in getAllOf()/getProperties()
    private static DocumentedSchema of(Schema<?> s, int depth, IdentityHashMap<Schema<?>, Boolean> path) {
        if (s == null || depth > MAX_DEPTH || path.containsKey(s)) return null;
        path.put(s, Boolean.TRUE);
        try {
            LinkedHashSet<String> types = new LinkedHashSet<>();
            if (s.getTypes() != null) types.addAll(s.getTypes());
            else if (s.getType() != null) types.add(s.getType());
            if (Boolean.TRUE.equals(s.getNullable()) && !types.isEmpty()) types.add("null");
            LinkedHashMap<String, DocumentedSchema> props = new LinkedHashMap<>();
            LinkedHashSet<String> required = new LinkedHashSet<>();
            boolean open = false;
            DocumentedSchema items = null;
            List<Schema> parts = s.getAllOf();
            if (parts != null) {
                for (Schema<?> part : parts) {
                    DocumentedSchema d = of(part, depth, path);
                    if (d == null) continue;
                    types.addAll(d.types());
                    props.putAll(d.properties());
                    required.addAll(d.required());
                    open |= d.openProperties();
                    if (d.items() != null) items = d.items();
                }
            }
            if (s.getOneOf() != null || s.getAnyOf() != null) open = true; // alternatives: do not claim drift
            if (s.getProperties() != null) {
                for (Map.Entry<String, Schema> e : s.getProperties().entrySet()) {
                    DocumentedSchema d = of(e.getValue(), depth + 1, path);
                    props.put(e.getKey(), d == null ? new DocumentedSchema(Set.of(), Map.of(), Set.of(), null, true) : d);
                }
            }
            if (s.getRequired() != null) required.addAll(s.getRequired());
            Object ap = s.getAdditionalProperties();
            if (ap instanceof Schema<?> || Boolean.TRUE.equals(ap) || props.isEmpty()) open = true;
            if (s.getItems() != null) items = of(s.getItems(), depth + 1, path);
            if (!props.isEmpty() && types.isEmpty()) types.add("object");
            return new DocumentedSchema(Set.copyOf(types), Map.copyOf(props), Set.copyOf(required), items, open);
        } finally {
            path.remove(s);
        }
    }
}
