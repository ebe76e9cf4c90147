package io.portcullis.inspect.limits;

/** The outcome of decoding a {@code Content-Encoding}: fine so far, a decompression bomb, or corrupt input. */
public sealed interface DecodeVerdict {

    record Fine() implements DecodeVerdict {
        static final Fine INSTANCE = new Fine();
    }

    /**
     * Decoding stopped because the output went past a cap. The gateway answers 502 and emits an event.
     *
     * @param reason       {@code "size"} (absolute cap) or {@code "ratio"} (decoded/encoded)
     * @param encodedBytes encoded bytes consumed when decoding stopped
     * @param decodedBytes decoded bytes produced when decoding stopped
     * @param limit        the cap that was hit (bytes for size, the ratio for ratio)
     */
    record Bomb(String reason, long encodedBytes, long decodedBytes, long limit) implements DecodeVerdict {
    }

    /** The encoded stream is not valid for its encoding (bad header, bad checksum, truncated, unknown). */
    record Corrupt(String reason, long encodedBytes) implements DecodeVerdict {
    }

    default boolean ok() {
        return this instanceof Fine;
    }
}
