package io.portcullis.core.event;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A standalone security-relevant event not tied to one exchange: a certificate pin mismatch, a credential past its
 * maximum age, a circuit that opened, a shadow API seen for the first time, a rejected config reload, an event-bus
 * overflow. Written to the audit log as an ECS alert ({@code event.kind = "alert"}, {@code event.action = type}).
 *
 * @param time       when it happened
 * @param type       an UPPER_SNAKE_CASE identifier, e.g. {@code PIN_MISMATCH}; see the constants on this class
 * @param severity   how urgent it is
 * @param vendor     the vendor concerned, or null
 * @param api        the API concerned, or null
 * @param app        the internal app concerned, or null
 * @param message    one human-readable line; no secrets
 * @param attributes extra context (sorted, immutable); keys naming credentials are redacted by the audit sink
 */
public record SecurityEvent(
        Instant time,
        String type,
        Severity severity,
        String vendor,
        String api,
        String app,
        String message,
        Map<String, String> attributes) implements PortcullisEvent {

    public static final String PIN_MISMATCH = "PIN_MISMATCH";
    public static final String CREDENTIAL_MAX_AGE_EXCEEDED = "CREDENTIAL_MAX_AGE_EXCEEDED";
    public static final String CIRCUIT_OPENED = "CIRCUIT_OPENED";
    public static final String CIRCUIT_CLOSED = "CIRCUIT_CLOSED";
    public static final String SHADOW_API_FIRST_SEEN = "SHADOW_API_FIRST_SEEN";
    public static final String CONFIG_RELOAD_REJECTED = "CONFIG_RELOAD_REJECTED";
    public static final String CONFIG_RELOADED = "CONFIG_RELOADED";
    public static final String EVENT_BUS_OVERFLOW = "EVENT_BUS_OVERFLOW";
    public static final String EVENT_SINK_FAILED = "EVENT_SINK_FAILED";

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*");

    public SecurityEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        if (type.length() > 64 || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("security event type must be UPPER_SNAKE_CASE (max 64 chars): " + type);
        }
        Objects.requireNonNull(severity, "severity");
        message = message == null ? "" : message;
        if (attributes == null || attributes.isEmpty()) {
            attributes = Collections.emptySortedMap();
        } else {
            SortedMap<String, String> copy = new TreeMap<>();
            attributes.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "attribute key"), v == null ? "" : v));
            attributes = Collections.unmodifiableSortedMap(copy);
        }
    }

    /** A log-safe rendering: attribute values are omitted (the audit sink redacts them; a log line would not). */
    @Override
    public String toString() {
        return "SecurityEvent[time=" + time + ", type=" + type + ", severity=" + severity + ", vendor=" + vendor
                + ", api=" + api + ", app=" + app + ", message=" + message + ", attributes=" + attributes.keySet() + "]";
    }

    /** An event happening now with no vendor/api/app and no attributes. */
    public static SecurityEvent of(String type, Severity severity, String message) {
        return new SecurityEvent(Instant.now(), type, severity, null, null, null, message, Map.of());
    }

    /** An event happening now about a vendor's API (and optionally an app). */
    public static SecurityEvent of(String type, Severity severity, String vendor, String api, String app,
                                   String message, Map<String, String> attributes) {
        return new SecurityEvent(Instant.now(), type, severity, vendor, api, app, message, attributes);
    }
}
