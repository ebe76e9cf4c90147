package io.portcullis.inspect.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.portcullis.core.config.InboundPolicy.UnknownFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a vendor's webhook deliveries must look like, for validating them before they are forwarded: either the
 * vendor's OpenAPI spec (an OpenAPI 3.1 {@code webhooks:} section, or the {@code paths} operation whose request body
 * describes the delivery), or the vendor's JSON Schema of its events (one file; draft 2020-12 unless it names another
 * with {@code $schema}).
 *
 * <p>Guarantees as for {@link VendorContract}: everything is compiled at load, a selection naming a webhook or
 * operation the spec lacks fails the load ({@link SpecException}), no remote references are fetched, findings carry a
 * JSON path, a short reason and a masked excerpt only, and validation never throws. Immutable and thread-safe.
 */
public final class DeliveryContract {
    private final VendorContract openapi; // or null
    private final Schema eventSchema;      // or null
    private final String eventSchemaName;
    private final List<String> webhooks;
    private final Optional<String> operation;

    private DeliveryContract(VendorContract openapi, Schema eventSchema, String eventSchemaName, List<String> webhooks, Optional<String> operation) {
        this.openapi = openapi;
        this.eventSchema = eventSchema;
        this.eventSchemaName = eventSchemaName;
        this.webhooks = List.copyOf(webhooks);
        this.operation = operation;
    }

    /**
     * @param specs         OpenAPI files, or exactly one JSON Schema file
     * @param unknownFields {@code reject}: undeclared properties are findings (see {@link StrictSchemas})
     * @param webhooks      entries of the spec's {@code webhooks:} section to accept (empty: any of them)
     * @param operation     {@code "METHOD /path"} of the paths operation describing the delivery, instead of webhooks
     */
    public static DeliveryContract load(List<Path> specs, UnknownFields unknownFields, List<String> webhooks, Optional<String> operation)
            throws SpecException {
        if (specs.isEmpty()) throw new SpecException(List.of("no spec file given"));
        var kinds = new ArrayList<Boolean>();
        var problems = new ArrayList<String>();
        for (Path p : specs) {
            try {
                kinds.add(isOpenApi(read(p)));
            } catch (SpecException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new SpecException(problems);
        if (kinds.stream().allMatch(k -> k)) {
            VendorContract c = VendorContract.load(specs, unknownFields);
            var selection = c.deliveryProblems(webhooks, operation);
            if (!selection.isEmpty()) throw new SpecException(selection.stream().map(m -> specs.getFirst() + ": " + m).toList());
            return new DeliveryContract(c, null, null, webhooks, operation);
        }
        if (specs.size() > 1) {
            throw new SpecException(List.of(specs + ": name one JSON Schema file for the events, or OpenAPI files only"));
        }
        if (!webhooks.isEmpty() || operation.isPresent()) {
            throw new SpecException(List.of(specs.getFirst() + ": is a JSON Schema, not an OpenAPI spec; webhooks: and operation: select parts of an OpenAPI spec, remove them"));
        }
        Path file = specs.getFirst();
        JsonNode doc = read(file);
        if (!(doc instanceof ObjectNode obj)) throw new SpecException(List.of(file + ": a JSON Schema must be an object"));
        if (unknownFields == UnknownFields.REJECT) StrictSchemas.applyToJsonSchema(obj);
        String uri = "https://events.portcullis.invalid/" + file.getFileName();
        try {
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
            Schema schema = registry.getSchema(SchemaLocation.of(uri), obj);
            schema.initializeValidators();
            return new DeliveryContract(null, schema, "event schema " + file.getFileName(), List.of(), Optional.empty());
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new SpecException(List.of(file + ": the JSON Schema cannot be compiled: " + m));
        }
    }

    /** Validates one delivery (decoded body). */
    public List<ContractFinding> check(String contentType, byte[] body) {
        if (openapi != null) return openapi.checkDelivery(webhooks, operation, contentType, body);
        if (body == null || body.length == 0) {
            return List.of(new ContractFinding(ContractFinding.Kind.MISSING_BODY, eventSchemaName, "$", "a delivery body is required", ""));
        }
        String type = VendorContract.baseType(contentType);
        if (!VendorContract.isJson(type)) {
            return List.of(new ContractFinding(ContractFinding.Kind.UNDOCUMENTED_CONTENT_TYPE, eventSchemaName, "$",
                    type.isEmpty() ? "a body arrived without a Content-Type" : "content type " + (type.length() > 80 ? type.substring(0, 77) + "..." : type)
                            + " is not JSON, which the event schema describes", ""));
        }
        return VendorContract.validateJson(eventSchema, eventSchemaName, type, body);
    }

    private static JsonNode read(Path file) throws SpecException {
        if (!Files.isRegularFile(file)) throw new SpecException(List.of(file + ": spec file not found"));
        try {
            if (Files.size(file) > 64L << 20) throw new SpecException(List.of(file + ": larger than 64 MiB"));
            JsonNode n = io.swagger.v3.core.util.Yaml.mapper().readTree(file.toFile()); // YAML is a superset of JSON
            if (n == null || n.isMissingNode()) throw new SpecException(List.of(file + ": empty"));
            return n;
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new SpecException(List.of(file + ": not JSON or YAML: " + m));
        }
    }

    private static boolean isOpenApi(JsonNode doc) {
        return doc.isObject() && (doc.has("openapi") || doc.has("swagger"));
    }

    /** For messages: what deliveries are checked against. */
    @Override
    public String toString() {
        if (openapi == null) return eventSchemaName;
        return operation.map(o -> "operation " + o).orElse(webhooks.isEmpty() ? "webhooks " + openapi.webhookNames() : "webhooks " + webhooks);
    }
}
