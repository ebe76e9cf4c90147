package io.portcullis.core.config;

import java.time.Duration;

/**
 * Size and time limits of one API.
 *
 * @param maxRequestBodyBytes  larger request bodies get 413 (checked against Content-Length up front, and while streaming)
 * @param maxResponseBodyBytes larger vendor responses are cut off with 502
 * @param connectTimeout       TCP + TLS handshake toward the vendor
 * @param responseTimeout      from request sent to response head received (504)
 * @param idleTimeout          no bytes either way for this long ends the exchange (504)
 */
public record Limits(long maxRequestBodyBytes, long maxResponseBodyBytes, Duration connectTimeout,
                     Duration responseTimeout, Duration idleTimeout) {
    public static Limits defaults() {
        return new Limits(10L << 20, 50L << 20, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
}
