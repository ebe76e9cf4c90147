package io.portcullis.inspect.schema;

/**
 * One way a request or response departs from the vendor's published contract.
 *
 * @param kind      what kind of departure
 * @param operation {@code METHOD /path/template} (or the raw method and path when no operation matched)
 * @param jsonPath  where in the body ({@code $.data[0].id}); {@code $} for whole-message findings
 * @param reason    a short reason, never quoting payload values
 * @param excerpt   a bounded, masked preview of the offending value ({@code string(12) "ab…"}), or empty
 */
public record ContractFinding(Kind kind, String operation, String jsonPath, String reason, String excerpt) {

    public enum Kind {
        /** No operation in the spec matches the method and path. */
        UNKNOWN_OPERATION,
        /** The status code is not documented for the operation (neither exactly, as a range, nor {@code default}). */
        UNDOCUMENTED_STATUS,
        /** The content type is not among those documented for the status. */
        UNDOCUMENTED_CONTENT_TYPE,
        /** A body arrived where the spec documents none. */
        UNDOCUMENTED_BODY,
        /** The body was declared JSON but does not parse. */
        BODY_NOT_JSON,
        /** The JSON body does not match the schema. */
        SCHEMA_VIOLATION,
        /** A required request body is missing. */
        MISSING_BODY,
        /** A required query parameter or header is missing. */
        MISSING_PARAMETER
    }
}
