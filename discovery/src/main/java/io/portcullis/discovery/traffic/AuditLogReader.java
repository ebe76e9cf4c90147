package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a Portcullis audit log: JSON lines with Elastic Common Schema fields, nested ({@code {"http":{"request":
 * {"method":"GET"}}}}) or dotted ({@code {"http.request.method":"GET"}}). Fields read: {@code @timestamp},
 * {@code http.request.method}, {@code http.response.status_code}, {@code url.domain}, {@code url.path},
 * {@code url.query} (names only), {@code url.full}/{@code url.original} (fallback for host and path),
 * {@code http.request.mime_type}, {@code http.response.mime_type}, {@code portcullis.app}, {@code portcullis.vendor},
 * {@code portcullis.api}, {@code portcullis.data_classes}, {@code portcullis.auth_scheme},
 * {@code http.response.headers.deprecation} and {@code .sunset}.
 *
 * <p>Guarantees: streaming with one reusable line buffer; a line longer than {@link #MAX_LINE} bytes, a line that is
 * not a JSON object, or one without method, host and path is skipped and counted, never fatal. Other fields and
 * unknown objects are skipped without being materialised. Not thread-safe (one reader per stream).
 */
public final class AuditLogReader {
    public static final int MAX_LINE = 1 << 20;
    private static final Set<String> OBJECTS = Set.of("http", "http.request", "http.response", "http.response.headers",
            "url", "portcullis");

    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_LINE).build())
            .build();

    /** Reads every line of {@code in}, handing each request to {@code sink}. Closes nothing. */
    public ReadResult read(InputStream in, Consumer<ObservedRequest> sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int lineLen = 0;
        boolean overlong = false;
        long lineNo = 0, requests = 0, skipped = 0, firstSkipped = 0;
        Fields f = new Fields();
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') continue;
                int chunk = i - start;
                if (!overlong) {
                    if (lineLen + chunk > MAX_LINE) {
                        overlong = true;
                    } else {
                        if (lineLen + chunk > line.length) line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLen + chunk));
                        System.arraycopy(buf, start, line, lineLen, chunk);
                        lineLen += chunk;
                    }
                }
                lineNo++;
                int r = overlong ? -1 : handle(line, lineLen, f, sink);
                if (r > 0) requests++;
                else if (r < 0) {
                    skipped++;
                    if (firstSkipped == 0) firstSkipped = lineNo;
                }
                lineLen = 0;
                overlong = false;
                start = i + 1;
            }
            int chunk = n - start;
            if (chunk > 0 && !overlong) {
                if (lineLen + chunk > MAX_LINE) {
                    overlong = true;
                } else {
                    if (lineLen + chunk > line.length) line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLen + chunk));
                    System.arraycopy(buf, start, line, lineLen, chunk);
                    lineLen += chunk;
                }
            }
        }
        if (lineLen > 0 || overlong) {
            lineNo++;
            int r = overlong ? -1 : handle(line, lineLen, f, sink);
            if (r > 0) requests++;
            else if (r < 0) {
                skipped++;
                if (firstSkipped == 0) firstSkipped = lineNo;
            }
        }
        return new ReadResult(requests, skipped, firstSkipped);
    }

    /** 1 = request emitted, 0 = blank line, -1 = skipped. */
    private int handle(byte[] line, int len, Fields f, Consumer<ObservedRequest> sink) {
        int s = 0;
        while (s < len && (line[s] == ' ' || line[s] == '\t' || line[s] == '\r')) s++;
        if (s == len) return 0;
        if (line[s] != '{') return -1;
        f.reset();
        try (JsonParser p = json.createParser(line, s, len - s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return -1;
            readObject(p, "", f);
            if (p.nextToken() != null) return -1; // trailing garbage
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        ObservedRequest r = f.toRequest();
        if (r == null) return -1;
        sink.accept(r);
        return 1;
    }

    private void readObject(JsonParser p, String prefix, Fields f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken v = p.nextToken();
            switch (v) {
                case START_OBJECT -> {
                    if (OBJECTS.contains(key)) readObject(p, key, f);
                    else p.skipChildren();
                }
                case START_ARRAY -> {
                    if (key.equals("portcullis.data_classes")) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() == JsonToken.VALUE_STRING && f.dataClasses.size() < 64) f.dataClasses.add(p.getText());
                            else p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case VALUE_STRING -> f.set(key, p.getText());
                case VALUE_NUMBER_INT -> {
                    if (key.equals("http.response.status_code")) f.status = p.getIntValue();
                }
                default -> {
                    // booleans, nulls, floats: not used
                }
            }
        }
        if (t != JsonToken.END_OBJECT) throw new IOException("truncated object");
    }

    private static final class Fields {
        String timestamp, method, domain, path, query, full, reqType, respType, app, vendor, api, auth, deprecation, sunset;
        int status;
        final ArrayList<String> dataClasses = new ArrayList<>(4);

        void reset() {
            timestamp = method = domain = path = query = full = reqType = respType = app = vendor = api = auth = null;
            deprecation = sunset = null;
            status = 0;
            dataClasses.clear();
        }

        void set(String key, String v) {
            switch (key) {
                case "@timestamp" -> timestamp = v;
                case "http.request.method" -> method = v;
                case "url.domain" -> domain = v;
                case "url.path" -> path = v;
                case "url.query" -> query = v;
                case "url.full", "url.original" -> full = v;
                case "http.request.mime_type" -> reqType = v;
                case "http.response.mime_type" -> respType = v;
                case "portcullis.app" -> app = v;
                case "portcullis.vendor" -> vendor = v;
                case "portcullis.api" -> api = v;
                case "portcullis.auth_scheme" -> auth = v;
                case "http.response.headers.deprecation" -> deprecation = v;
                case "http.response.headers.sunset" -> sunset = v;
                case "http.response.status_code" -> {
                    try {
                        status = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        status = 0;
                    }
                }
                default -> {
                }
            }
        }

        ObservedRequest toRequest() {
            String host = domain;
            String p = path;
            String q = query;
            if ((host == null || p == null) && full != null) {
                try {
                    java.net.URI u = java.net.URI.create(full);
                    if (host == null) host = u.getHost();
                    if (p == null) p = u.getRawPath();
                    if (q == null) q = u.getRawQuery();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if (method == null || host == null || host.isEmpty() || p == null) return null;
            if (p.isEmpty()) p = "/";
            List<String> dc = dataClasses.isEmpty() ? List.of() : List.copyOf(dataClasses);
            return new ObservedRequest(parseTime(timestamp), host.toLowerCase(Locale.ROOT), method.toUpperCase(Locale.ROOT),
                    p, ObservedRequest.queryNamesOf(q), status, ObservedRequest.mediaType(reqType),
                    ObservedRequest.mediaType(respType), app, dc, auth, null, null, deprecation, sunset);
        }
    }

    /** Fast path for {@code 2026-11-22T10:15:30(.123)Z}; other ISO-8601 offsets via {@link OffsetDateTime}. */
    static long parseTime(String s) {
        if (s == null) return 0;
        int n = s.length();
        if (n >= 20 && s.charAt(n - 1) == 'Z' && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':') {
            try {
                int year = num(s, 0, 4), month = num(s, 5, 7), day = num(s, 8, 10);
                int hour = num(s, 11, 13), min = num(s, 14, 16), sec = num(s, 17, 19);
                int millis = 0;
                if (n > 20 && s.charAt(19) == '.') {
                    int digits = 0;
                    for (int i = 20; i < n - 1 && digits < 3; i++, digits++) millis = millis * 10 + digit(s.charAt(i));
                    for (; digits < 3; digits++) millis *= 10;
                }
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return ((days * 24 + hour) * 60 + min) * 60_000L + sec * 1000L + millis;
            } catch (RuntimeException e) {
                // fall through to the general parser
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) v = v * 10 + digit(s.charAt(i));
        return v;
    }

    private static int digit(char c) {
        if (c < '0' || c > '9') throw new NumberFormatException("not a digit");
        return c - '0';
    }
}
