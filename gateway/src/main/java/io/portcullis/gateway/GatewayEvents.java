package io.portcullis.gateway;

import io.portcullis.gateway.pipeline.Exchange;
import java.util.Map;

/**
 * Where the data plane reports what happened. Implementations must never block and never throw: they
 * hand events to a bounded queue and count what they drop.
 */
public interface GatewayEvents {
    /** One call per finished exchange, however it ended. */
    void exchangeCompleted(Exchange exchange, int status, long bytesIn, long bytesOut, long durationNanos, String error);

    /** A standalone security-relevant event (pin mismatch, circuit opened, reload rejected, ...). */
    void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attributes);

    GatewayEvents NONE = new GatewayEvents() {
        @Override
        public void exchangeCompleted(Exchange exchange, int status, long bytesIn, long bytesOut, long durationNanos, String error) {}

        @Override
        public void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attributes) {}
    };
}
