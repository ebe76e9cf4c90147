package io.portcullis.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One HTTP exchange through the gateway, emitted exactly once when the exchange ends (completed, denied, failed or
 * aborted). Build it with {@link #builder(String, Direction)} as the exchange progresses, then {@code build()} and
 * {@link EventBus#publish publish} it.
 *
 * <p><b>What producers must and must not put here.</b> Never request/response bodies and never credential values.
 * {@code query} may be the raw query string: every sink that persists it must redact its values (the audit sink
 * writes {@code name=REDACTED}). {@code findings} carry masked details only. {@code authScheme} names the scheme
 * ({@code "bearer"}, {@code "api-key-header"}, {@code "oauth2-client-credentials"} …), never the credential.
 *
 * <p>Optional text fields are {@code null} when unknown (for example {@code app} before identification,
 * {@code vendor}/{@code api} when no route matched). Collections are never null; they are immutable copies with a
 * stable iteration order (data classes and attributes sorted), so serialisation is deterministic.
 *
 * @param time          when the exchange started (first byte of the request head)
 * @param requestId     the gateway's request id (also sent in problem responses); required
 * @param direction     outbound (app → vendor) or inbound (vendor webhook → internal service); required
 * @param app           the identified internal app, or null
 * @param vendor        the vendor name from config, or null
 * @param api           the API name from config, or null
 * @param method        the HTTP method, e.g. {@code "POST"}
 * @param path          the request path without the query
 * @param query         the query string without {@code '?'}, raw or redacted, or null when absent
 * @param host          the upstream host the call went (or would have gone) to, or null
 * @param status        the HTTP status returned to the client; 0 when no response was sent (connection aborted)
 * @param durationNanos time from {@code time} until the last byte of the response was written (or the abort)
 * @param bytesIn       request body bytes received from the client
 * @param bytesOut      response body bytes sent to the client
 * @param protocol      the downstream protocol, e.g. {@code "HTTP/1.1"}, {@code "HTTP/2"}
 * @param clientAddress the client's IP address (no port), or null
 * @param decisions     each policy's decision, in chain order
 * @param findings      inspection findings (masked)
 * @param dataClasses   data classes seen in the exchange, e.g. {@code "pii.email"}, {@code "pci.pan"}
 * @param authScheme    how the gateway authenticated to the vendor (or the vendor to us for inbound), or null
 * @param error         a short error text when the exchange failed (e.g. {@code "upstream connect timeout"}), or null
 * @param attributes    free-form extra context; keys naming credentials are redacted by the audit sink
 */
public record ExchangeEvent(
        Instant time,
        String requestId,
        Direction direction,
        String app,
        String vendor,
        String api,
        String method,
        String path,
        String query,
        String host,
        int status,
        long durationNanos,
        long bytesIn,
        long bytesOut,
        String protocol,
        String clientAddress,
        List<Decision> decisions,
        List<FindingRecord> findings,
        Set<String> dataClasses,
        String authScheme,
        String error,
        Map<String, String> attributes) implements PortcullisEvent {

    /** Attribute set only when the request was actually sent to the vendor: the protocol used (http/1.1, h2). */
    public static final String UPSTREAM_PROTOCOL = "upstream.protocol";

    public ExchangeEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(direction, "direction");
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
        findings = findings == null ? List.of() : List.copyOf(findings);
        dataClasses = sortedCopy(dataClasses);
        attributes = sortedCopy(attributes);
    }

    /**
     * A log-safe rendering: query values are shown as {@code REDACTED} and attribute values are omitted, so an
     * event logged by mistake does not leak what the audit sink would redact.
     */
    @Override
    public String toString() {
        return "ExchangeEvent[time=" + time + ", requestId=" + requestId + ", direction=" + direction + ", app=" + app
                + ", vendor=" + vendor + ", api=" + api + ", method=" + method + ", path=" + path
                + ", query=" + (query == null ? null : query.replaceAll("=[^&]*", "=REDACTED")) + ", host=" + host
                + ", status=" + status + ", durationNanos=" + durationNanos + ", bytesIn=" + bytesIn
                + ", bytesOut=" + bytesOut + ", protocol=" + protocol + ", clientAddress=" + clientAddress
                + ", decisions=" + decisions + ", findings=" + findings.size() + ", dataClasses=" + dataClasses
                + ", authScheme=" + authScheme + ", error=" + error + ", attributes=" + attributes.keySet() + "]";
    }

    /** True when the exchange produced a response below 400 and no error. */
    public boolean succeeded() {
        return error == null && status >= 100 && status < 400;
    }

    /** A builder for an exchange that starts now. */
    public static Builder builder(String requestId, Direction direction) {
        return new Builder(Instant.now(), requestId, direction);
    }

    /** A builder for an exchange that started at {@code start}. */
    public static Builder builder(Instant start, String requestId, Direction direction) {
        return new Builder(start, requestId, direction);
    }

    private static SortedSet<String> sortedCopy(Set<String> in) {
        if (in == null || in.isEmpty()) {
            return Collections.emptySortedSet();
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(in));
    }

    private static SortedMap<String, String> sortedCopy(Map<String, String> in) {
        if (in == null || in.isEmpty()) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        in.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "attribute key"), v == null ? "" : v));
        return Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Mutable, single-threaded accumulator for an {@link ExchangeEvent}; the gateway fills it as the exchange
     * progresses (identity, route, decisions, status, byte counts) and calls {@link #build()} once at the end.
     * Not thread-safe: confine it to the exchange's event loop (or hand it over with a happens-before edge).
     */
    public static final class Builder {
        private final Instant time;
        private final String requestId;
        private final Direction direction;
        private String app;
        private String vendor;
        private String api;
        private String method;
        private String path;
        private String query;
        private String host;
        private int status;
        private long durationNanos;
        private long bytesIn;
        private long bytesOut;
        private String protocol;
        private String clientAddress;
        private final List<Decision> decisions = new ArrayList<>(4);
        private List<FindingRecord> findings;
        private Set<String> dataClasses;
        private String authScheme;
        private String error;
        private Map<String, String> attributes;

        private Builder(Instant time, String requestId, Direction direction) {
            this.time = Objects.requireNonNull(time, "time");
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            this.direction = Objects.requireNonNull(direction, "direction");
        }

        public Builder app(String app) { this.app = app; return this; }
        public Builder vendor(String vendor) { this.vendor = vendor; return this; }
        public Builder api(String api) { this.api = api; return this; }
        public Builder method(String method) { this.method = method; return this; }
        /** The path without the query. */
        public Builder path(String path) { this.path = path; return this; }
        /** The query without {@code '?'} (raw is fine: sinks redact values); null or empty when absent. */
        public Builder query(String query) { this.query = query == null || query.isEmpty() ? null : query; return this; }
        public Builder host(String host) { this.host = host; return this; }
        public Builder status(int status) { this.status = status; return this; }
        public Builder durationNanos(long durationNanos) { this.durationNanos = durationNanos; return this; }
        public Builder bytesIn(long bytesIn) { this.bytesIn = bytesIn; return this; }
        public Builder addBytesIn(long n) { this.bytesIn += n; return this; }
        public Builder bytesOut(long bytesOut) { this.bytesOut = bytesOut; return this; }
        public Builder addBytesOut(long n) { this.bytesOut += n; return this; }
        public Builder protocol(String protocol) { this.protocol = protocol; return this; }
        public Builder clientAddress(String clientAddress) { this.clientAddress = clientAddress; return this; }
        public Builder authScheme(String authScheme) { this.authScheme = authScheme; return this; }
        /** A short error text (no secrets, no stack traces). */
        public Builder error(String error) { this.error = error; return this; }

        public Builder decision(Decision decision) {
            decisions.add(Objects.requireNonNull(decision, "decision"));
            return this;
        }

        public Builder decision(String policy, Decision.Outcome outcome, String reason) {
            return decision(new Decision(policy, outcome, reason));
        }

        public Builder finding(FindingRecord finding) {
            if (findings == null) {
                findings = new ArrayList<>(2);
            }
            findings.add(Objects.requireNonNull(finding, "finding"));
            return this;
        }

        public Builder dataClass(String dataClass) {
            if (dataClasses == null) {
                dataClasses = new TreeSet<>();
            }
            dataClasses.add(Objects.requireNonNull(dataClass, "dataClass"));
            return this;
        }

        public Builder attribute(String key, String value) {
            if (attributes == null) {
                attributes = new TreeMap<>();
            }
            attributes.put(Objects.requireNonNull(key, "key"), value == null ? "" : value);
            return this;
        }

        /** The start time given to the builder (for computing {@link #durationNanos}). */
        public Instant time() { return time; }
        public String requestId() { return requestId; }

        /** Snapshot the current state; the builder may be reused afterwards, but normally is not. */
        public ExchangeEvent build() {
            return new ExchangeEvent(time, requestId, direction, app, vendor, api, method, path, query, host, status,
                    durationNanos, bytesIn, bytesOut, protocol, clientAddress, decisions, findings, dataClasses,
                    authScheme, error, attributes);
        }
    }
}
