package io.portcullis.core.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.core.event.PortcullisEvent;
import io.portcullis.core.event.SecurityEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Serialises events as Elastic Common Schema (ECS 8.x) JSON objects with nested field names, followed by the
 * {@code portcullis.chain} prefix ({@code alg}, {@code seq}, {@code prev}); {@link AuditChain} completes the line.
 *
 * <h2>Fields</h2>
 * Exchanges: {@code @timestamp}, {@code ecs.version}, {@code event.{kind=event, category=[web], type, action,
 * outcome, duration (ns), dataset}}, {@code http.version}, {@code http.request.{id, method, bytes}},
 * {@code http.response.{status_code, bytes}} (body bytes; status omitted when no response was sent),
 * {@code url.{domain, path, query}} (query values {@code REDACTED}), {@code source.address}, {@code error.message},
 * {@code portcullis.{app, vendor, api, direction, auth_scheme, decisions[{policy, outcome, reason}],
 * findings[{kind, type, category, path, detail}], data_classes, attributes, chain}}.
 * Security events: {@code event.{kind=alert, category, type=[info], action=TYPE, severity (1-5), dataset}},
 * {@code message}, {@code portcullis.{app, vendor, api, severity, attributes, chain}}.
 *
 * <p>Free text (path, reasons, finding paths and details, error, message, attribute values) passes through
 * {@link CredentialRedactor}; names (app, vendor, api, method, host, policy …) are only cleaned. Everything is capped ({@value #MAX_TEXT} characters for text,
 * {@value #MAX_URL} for path and query, {@value #MAX_ATTRIBUTES} attributes); bodies are never part of an event.
 * Not thread-safe (one instance per writer thread).
 */
final class EcsAuditFormat {

    static final String ECS_VERSION = "8.11.0";
    static final String DATASET = "portcullis.audit";
    static final int MAX_TEXT = 1024;
    static final int MAX_URL = 4096;
    static final int MAX_ATTRIBUTES = 64;
    private static final String TRUNCATED = "...[truncated]";

    private final JsonFactory factory = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** Writes the record up to and including the chain's {@code prev} value (the object is left open). */
    void writePrefix(PortcullisEvent event, String alg, long seq, String prev, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            str(g, "@timestamp", DateTimeFormatter.ISO_INSTANT.format(event.time()));
            obj(g, "ecs");
            str(g, "version", ECS_VERSION);
            g.writeEndObject();
            switch (event) {
                case ExchangeEvent e -> writeExchange(g, e);
                case SecurityEvent s -> writeSecurity(g, s);
            }
            obj(g, "chain");
            str(g, "alg", alg);
            num(g, "seq", seq);
            str(g, "prev", prev);
            g.flush();
        }
    }

    private void writeExchange(JsonGenerator g, ExchangeEvent e) throws IOException {
        boolean denied = e.decisions().stream().anyMatch(d -> d.outcome() == Decision.Outcome.DENY);
        obj(g, "event");
        str(g, "kind", "event");
        arr(g, "category");
        g.writeString("web");
        g.writeEndArray();
        arr(g, "type");
        g.writeString("access");
        g.writeString(denied ? "denied" : "allowed");
        if (e.error() != null) {
            g.writeString("error");
        }
        g.writeEndArray();
        str(g, "action", e.direction() == io.portcullis.core.event.Direction.OUTBOUND
                ? "outbound-exchange" : "inbound-exchange");
        str(g, "outcome", e.succeeded() ? "success" : "failure");
        num(g, "duration", Math.max(0, e.durationNanos()));
        str(g, "dataset", DATASET);
        g.writeEndObject();

        obj(g, "http");
        if (e.protocol() != null) {
            str(g, "version", httpVersion(e.protocol()));
        }
        obj(g, "request");
        str(g, "id", ident(e.requestId()));
        if (e.method() != null) {
            str(g, "method", ident(e.method()));
        }
        num(g, "bytes", Math.max(0, e.bytesIn()));
        g.writeEndObject();
        obj(g, "response");
        if (e.status() > 0) {
            num(g, "status_code", e.status());
        }
        num(g, "bytes", Math.max(0, e.bytesOut()));
        g.writeEndObject();
        g.writeEndObject();

        obj(g, "url");
        if (e.host() != null) {
            str(g, "domain", ident(e.host()));
        }
        if (e.path() != null) {
            str(g, "path", clean(CredentialRedactor.text(e.path()), MAX_URL));
        }
        if (e.query() != null) {
            str(g, "query", clean(CredentialRedactor.query(e.query()), MAX_URL));
        }
        g.writeEndObject();

        if (e.clientAddress() != null) {
            obj(g, "source");
            str(g, "address", ident(e.clientAddress()));
            g.writeEndObject();
        }
        if (e.error() != null) {
            obj(g, "error");
            str(g, "message", text(e.error()));
            g.writeEndObject();
        }

        obj(g, "portcullis");
        optional(g, "app", e.app());
        optional(g, "vendor", e.vendor());
        optional(g, "api", e.api());
        str(g, "direction", e.direction().name().toLowerCase(Locale.ROOT));
        if (e.authScheme() != null) {
            str(g, "auth_scheme", CredentialRedactor.authScheme(e.authScheme()));
        }
        arr(g, "decisions");
        for (Decision d : e.decisions()) {
            g.writeStartObject();
            str(g, "policy", ident(d.policy()));
            str(g, "outcome", d.outcome().name().toLowerCase(Locale.ROOT));
            str(g, "reason", text(d.reason()));
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!e.findings().isEmpty()) {
            arr(g, "findings");
            for (FindingRecord f : e.findings()) {
                g.writeStartObject();
                str(g, "kind", ident(f.kind()));
                str(g, "type", ident(f.type()));
                str(g, "category", ident(f.category()));
                str(g, "path", text(f.path()));
                str(g, "detail", text(f.detail()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!e.dataClasses().isEmpty()) {
            arr(g, "data_classes");
            for (String c : e.dataClasses()) {
                g.writeString(ident(c));
            }
            g.writeEndArray();
        }
        attributes(g, e.attributes());
    }

    private void writeSecurity(JsonGenerator g, SecurityEvent s) throws IOException {
        obj(g, "event");
        str(g, "kind", "alert");
        arr(g, "category");
        g.writeString(category(s.type()));
        g.writeEndArray();
        arr(g, "type");
        g.writeString("info");
        g.writeEndArray();
        str(g, "action", s.type());
        num(g, "severity", s.severity().ecsLevel());
        str(g, "dataset", DATASET);
        g.writeEndObject();
        str(g, "message", text(s.message()));
        obj(g, "portcullis");
        optional(g, "app", s.app());
        optional(g, "vendor", s.vendor());
        optional(g, "api", s.api());
        str(g, "severity", s.severity().name().toLowerCase(Locale.ROOT));
        attributes(g, s.attributes());
    }

    /** ECS event.category for a security event type. */
    static String category(String type) {
        if (type.startsWith("CONFIG_")) {
            return "configuration";
        }
        if (type.startsWith("EVENT_")) {
            return "process";
        }
        if (type.startsWith("CREDENTIAL_")) {
            return "iam";
        }
        if (type.startsWith("SHADOW_") || type.startsWith("ZOMBIE_")) {
            return "api";
        }
        return "network";
    }

    private static void attributes(JsonGenerator g, Map<String, String> attrs) throws IOException {
        if (attrs.isEmpty()) {
            return;
        }
        obj(g, "attributes");
        int n = 0;
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            if (++n > MAX_ATTRIBUTES) {
                str(g, "_truncated", Integer.toString(attrs.size() - MAX_ATTRIBUTES) + " more");
                break;
            }
            g.writeStringField(clean(a.getKey(), 128), clean(CredentialRedactor.attribute(a.getKey(), a.getValue()), MAX_TEXT));
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            str(g, field, ident(value));
        }
    }

    /*
     * Field names are constants: their UTF-8 form is encoded once (SerializedString) instead of char by char for
     * every record; the audit writer shares a core with the gateway's event loop, so this shows in bench/proxy.sh.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, SerializedString> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static SerializedString name(String field) {
        SerializedString n = NAMES.get(field);
        return n != null ? n : NAMES.computeIfAbsent(field, SerializedString::new);
    }

    private static void str(JsonGenerator g, String field, String value) throws IOException {
        g.writeFieldName(name(field));
        g.writeString(value);
    }

    private static void num(JsonGenerator g, String field, long value) throws IOException {
        g.writeFieldName(name(field));
        g.writeNumber(value);
    }

    private static void obj(JsonGenerator g, String field) throws IOException {
        g.writeFieldName(name(field));
        g.writeStartObject();
    }

    private static void arr(JsonGenerator g, String field) throws IOException {
        g.writeFieldName(name(field));
        g.writeStartArray();
    }

    /** Names from config or the protocol (app, vendor, method, host …): capped and cleaned, not scanned. */
    private static String ident(String s) {
        return clean(s, 256);
    }

    /** Free text that could carry a slipped credential: scanned by {@link CredentialRedactor#text}. */
    private static String text(String s) {
        return clean(CredentialRedactor.text(s), MAX_TEXT);
    }

    static String httpVersion(String protocol) {
        String p = protocol.trim();
        if (p.regionMatches(true, 0, "HTTP/", 0, 5)) {
            p = p.substring(5);
        }
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "h2", "h2c", "2.0" -> "2";
            case "h3", "3.0" -> "3";
            default -> clean(p, 16);
        };
    }

    /** Caps length and replaces unpaired surrogates (which JSON generators reject) with U+FFFD. */
    static String clean(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() > max) {
            s = s.substring(0, Math.max(0, max - TRUNCATED.length())) + TRUNCATED;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (b != null) {
                        b.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** A reusable byte buffer exposing its array. */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
