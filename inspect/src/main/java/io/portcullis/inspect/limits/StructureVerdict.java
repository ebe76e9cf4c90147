package io.portcullis.inspect.limits;

/**
 * The outcome of a structural check of a body: within every limit, a limit exceeded, or not valid JSON.
 * Verdicts carry locations and sizes only, never payload values.
 */
public sealed interface StructureVerdict {

    /** Which structural limit a body went past. */
    enum Limit { BODY_SIZE, DEPTH, ARRAY_LENGTH, STRING_LENGTH, NUMBER_LENGTH, OBJECT_KEYS }

    /** Within every limit so far (and, once the last chunk was fed, a complete JSON document). */
    record Within() implements StructureVerdict {
        static final Within INSTANCE = new Within();
    }

    /**
     * @param limit    the limit
     * @param jsonPath where in the document ({@code $.data[3].name}); {@code $} for the body size
     * @param observed the size seen when the check stopped (at least {@code max + 1})
     * @param max      the configured inclusive maximum
     */
    record Exceeded(Limit limit, String jsonPath, long observed, long max) implements StructureVerdict {
        public String reason() {
            return limit.name().toLowerCase().replace('_', ' ') + " " + observed + " exceeds the limit of " + max;
        }
    }

    /**
     * @param reason   what is wrong (invalid UTF-8, truncated, duplicate key, ...), never payload text
     * @param jsonPath where the parser was
     * @param offset   byte offset into the body
     */
    record Malformed(String reason, String jsonPath, long offset) implements StructureVerdict {
    }

    default boolean ok() {
        return this instanceof Within;
    }
}
