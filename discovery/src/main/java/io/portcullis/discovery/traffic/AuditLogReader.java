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

    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_LINE).build())
            .build();

    /** Reads every line of {@code in}, handing each request to {@code sink}. Closes nothing. */
    public ReadResult read(InputStream in, Consumer<ObservedRequest> sink) throws IOException {
        Block b = new Block(sink);
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') continue;
                b.append(buf, start, i - start);
                b.endLine();
                start = i + 1;
            }
            if (n > start) b.append(buf, start, n - start);
        }
        if (b.pendingLength() > 0 || b.overlong) b.endLine();
        b.flush();
        return new ReadResult(b.requests, b.skipped, b.firstSkipped);
    }

    /**
     * Lines are gathered into blocks and parsed with one parser per block (creating a Jackson parser per line costs
     * as much as parsing it). A line is accepted only if its object starts and ends on that line with nothing but
     * whitespace after it, exactly as if it were parsed alone; at the first line that is not, the rest of the block
     * is parsed line by line.
     */
    private final class Block {
        static final int MAX_LINES = 512;
        final Consumer<ObservedRequest> sink;
        final Fields f = new Fields();
        byte[] data = new byte[1 << 18];
        int length;
        final int[] lineStart = new int[MAX_LINES + 1];
        final int[] lineEnd = new int[MAX_LINES + 1];
        int lines;
        int current = -1; // start offset of the line being appended
        boolean overlong;
        long lineNo, firstLineNo = 1, requests, skipped, firstSkipped;

        Block(Consumer<ObservedRequest> sink) {
            this.sink = sink;
        }

        int pendingLength() {
            return current < 0 ? 0 : length - current;
        }

        void append(byte[] src, int off, int len) {
            if (current < 0) current = length;
            if (overlong) return;
            if (length - current + len > MAX_LINE) {
                overlong = true;
                length = current;
                return;
            }
            if (length + len > data.length) data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, length + len));
            System.arraycopy(src, off, data, length, len);
            length += len;
        }

        void endLine() {
            lineNo++;
            if (current < 0) current = length;
            if (overlong) {
                flush();
                skip(lineNo);
                firstLineNo = lineNo + 1;
                overlong = false;
                current = -1;
                return;
            }
            lineStart[lines] = current;
            lineEnd[lines] = length;
            lines++;
            current = -1;
            if (lines == MAX_LINES || length >= (1 << 18)) {
                flush();
            }
        }

        void skip(long no) {
            skipped++;
            if (firstSkipped == 0) firstSkipped = no;
        }

        void flush() {
            if (lines > 0) {
                int done = parseTogether();
                for (int i = done; i < lines; i++) {
                    int r = handle(data, lineStart[i], lineEnd[i] - lineStart[i], f, sink);
                    if (r > 0) requests++;
                    else if (r < 0) skip(firstLineNo + i);
                }
            }
            firstLineNo = lineNo + 1;
            lines = 0;
            length = 0;
        }

        /** Parses the block as a sequence of root objects; returns how many lines were fully handled. */
        int parseTogether() {
            int li = 0;
            try (JsonParser p = json.createParser(data, 0, length)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    long startOff = p.currentTokenLocation().getByteOffset();
                    while (li < lines && lineEnd[li] <= startOff) li++; // blank lines before this value
                    if (li == lines || t != JsonToken.START_OBJECT) return li;
                    f.reset();
                    readObject(p, ROOT, f);
                    long endOff = p.currentLocation().getByteOffset();
                    if (endOff > lineEnd[li]) return li;
                    for (long k = endOff; k < lineEnd[li]; k++) {
                        byte c = data[(int) k];
                        if (c != ' ' && c != '\t' && c != '\r') return li;
                    }
                    ObservedRequest r = f.toRequest();
                    if (r == null) skip(firstLineNo + li);
                    else {
                        sink.accept(r);
                        requests++;
                    }
                    li++;
                }
                return lines;
            } catch (IOException | RuntimeException e) {
                return li;
            }
        }
    }

    /** 1 = request emitted, 0 = blank line, -1 = skipped. */
    private int handle(byte[] data, int off, int len, Fields f, Consumer<ObservedRequest> sink) {
        int s = off;
        int end = off + len;
        while (s < end && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r')) s++;
        if (s == end) return 0;
        if (data[s] != '{') return -1;
        f.reset();
        try (JsonParser p = json.createParser(data, s, end - s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return -1;
            readObject(p, ROOT, f);
            if (p.nextToken() != null) return -1; // trailing garbage
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        ObservedRequest r = f.toRequest();
        if (r == null) return -1;
        sink.accept(r);
        return 1;
    }

    // Object contexts the reader descends into; every other object is skipped unread.
    private static final int ROOT = 0, HTTP = 1, HTTP_REQUEST = 2, HTTP_RESPONSE = 3, RESPONSE_HEADERS = 4, URL = 5, PORTCULLIS = 6;

    /** Which context a nested object opens, or -1 to skip it. Dotted names at the root ({@code "http.request"}) work too. */
    private static int child(int ctx, String name) {
        return switch (ctx) {
            case ROOT -> switch (name) {
                case "http" -> HTTP;
                case "url" -> URL;
                case "portcullis" -> PORTCULLIS;
                case "http.request" -> HTTP_REQUEST;
                case "http.response" -> HTTP_RESPONSE;
                case "http.response.headers" -> RESPONSE_HEADERS;
                default -> -1;
            };
            case HTTP -> switch (name) {
                case "request" -> HTTP_REQUEST;
                case "response" -> HTTP_RESPONSE;
                case "response.headers" -> RESPONSE_HEADERS;
                default -> -1;
            };
            case HTTP_RESPONSE -> name.equals("headers") ? RESPONSE_HEADERS : -1;
            default -> -1;
        };
    }

    /** The full ECS name of a scalar field in a context, or {@code null} when the reader does not use it. */
    private static String field(int ctx, String name) {
        return switch (ctx) {
            case ROOT -> name;
            case HTTP -> switch (name) {
                case "request.method" -> "http.request.method";
                case "response.status_code" -> "http.response.status_code";
                case "request.mime_type" -> "http.request.mime_type";
                case "response.mime_type" -> "http.response.mime_type";
                default -> null;
            };
            case HTTP_REQUEST -> switch (name) {
                case "method" -> "http.request.method";
                case "mime_type" -> "http.request.mime_type";
                default -> null;
            };
            case HTTP_RESPONSE -> switch (name) {
                case "status_code" -> "http.response.status_code";
                case "mime_type" -> "http.response.mime_type";
                case "headers.deprecation" -> "http.response.headers.deprecation";
                case "headers.sunset" -> "http.response.headers.sunset";
                default -> null;
            };
            case RESPONSE_HEADERS -> switch (name.toLowerCase(Locale.ROOT)) {
                case "deprecation" -> "http.response.headers.deprecation";
                case "sunset" -> "http.response.headers.sunset";
                default -> null;
            };
            case URL -> switch (name) {
                case "domain" -> "url.domain";
                case "path" -> "url.path";
                case "query" -> "url.query";
                case "full" -> "url.full";
                case "original" -> "url.original";
                default -> null;
            };
            case PORTCULLIS -> switch (name) {
                case "app" -> "portcullis.app";
                case "vendor" -> "portcullis.vendor";
                case "api" -> "portcullis.api";
                case "data_classes" -> "portcullis.data_classes";
                case "auth_scheme" -> "portcullis.auth_scheme";
                default -> null;
            };
            default -> null;
        };
    }

    private void readObject(JsonParser p, int ctx, Fields f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (v) {
                case START_OBJECT -> {
                    int c = child(ctx, name);
                    if (c >= 0) readObject(p, c, f);
                    else p.skipChildren();
                }
                case START_ARRAY -> {
                    if ("portcullis.data_classes".equals(field(ctx, name))) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() == JsonToken.VALUE_STRING && f.dataClasses.size() < 64) f.dataClasses.add(p.getText());
                            else p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case VALUE_STRING -> {
                    String key = field(ctx, name);
                    if (key != null) f.set(key, p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    if ("http.response.status_code".equals(field(ctx, name))) f.status = p.getIntValue();
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
