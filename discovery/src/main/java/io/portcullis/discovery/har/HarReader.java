package io.portcullis.discovery.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.ReadResult;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads HAR 1.2 files (browser dev tools, proxies, API clients) entry by entry: {@code log.entries[].request.method,
 * url, headers, queryString, postData} and {@code response.status, headers, content.mimeType, text}.
 *
 * <p>Guarantees: streams the entries array (one entry in memory at a time); an entry without a usable method and
 * absolute http(s) URL is skipped and counted; a single JSON string longer than {@link #MAX_ENTRY_BYTES} or nesting
 * deeper than 200 rejects the file with {@link HarFormatException} (never an out-of-memory); JSON bodies up
 * to {@link #MAX_BODY_CHARS} characters are parsed for schema inference, larger or non-JSON bodies are ignored. The
 * {@code Authorization} header yields its scheme only ({@code Bearer}, {@code Basic}); API-key headers and query
 * parameters yield {@code apiKey:header:NAME} / {@code apiKey:query:NAME}; credential values are never kept.
 * A document that is not a HAR (no {@code log.entries} array) is rejected with {@link HarFormatException}.
 */
public final class HarReader {
    public static final int MAX_ENTRY_BYTES = 32 << 20;
    public static final int MAX_BODY_CHARS = 1 << 20;
    private static final List<String> KEY_HEADERS = List.of("x-api-key", "api-key", "apikey", "x-auth-token",
            "x-access-token", "private-token", "x-apikey", "ocp-apim-subscription-key");
    private static final List<String> KEY_QUERY = List.of("api_key", "apikey", "key", "access_token", "token", "auth");

    /** Thrown when the input is not a HAR document. The message says what was expected. */
    public static final class HarFormatException extends IOException {
        public HarFormatException(String message) {
            super(message);
        }
    }

    private final ObjectMapper mapper;

    public HarReader() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(MAX_ENTRY_BYTES).build())
                .build();
        this.mapper = new ObjectMapper(f);
    }

    public ReadResult read(InputStream in, Consumer<ObservedRequest> sink) throws IOException {
        long requests = 0, skipped = 0, firstSkipped = 0, index = 0;
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new HarFormatException("not a HAR file: expected a JSON object with \"log\"");
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals("log") || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (!field.equals("entries") || p.currentToken() != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        continue;
                    }
                    found = true;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        index++;
                        JsonNode entry = mapper.readTree(p);
                        ObservedRequest r = toRequest(entry);
                        if (r == null) {
                            skipped++;
                            if (firstSkipped == 0) firstSkipped = index;
                        } else {
                            sink.accept(r);
                            requests++;
                        }
                    }
                }
            }
            if (!found) throw new HarFormatException("not a HAR file: no log.entries array");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new HarFormatException("malformed HAR JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (after " + index + " entries)");
        }
        return new ReadResult(requests, skipped, firstSkipped);
    }

    ObservedRequest toRequest(JsonNode entry) {
        JsonNode req = entry.path("request");
        JsonNode resp = entry.path("response");
        String method = req.path("method").asText("");
        String url = req.path("url").asText("");
        if (method.isEmpty() || url.isEmpty()) return null;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) return null;
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port > 0 && !((port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http")))) host = host + ":" + port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();

        List<String> query = new ArrayList<>();
        for (JsonNode q : req.path("queryString")) {
            String n = q.path("name").asText("");
            if (!n.isEmpty() && !query.contains(n)) query.add(n);
        }
        if (query.isEmpty()) query.addAll(ObservedRequest.queryNamesOf(uri.getRawQuery()));

        String auth = null;
        String reqType = null;
        for (JsonNode h : req.path("headers")) {
            String n = h.path("name").asText("").toLowerCase(Locale.ROOT);
            String v = h.path("value").asText("");
            if (n.equals("authorization") || n.equals("proxy-authorization")) {
                int sp = v.indexOf(' ');
                String s = sp > 0 ? v.substring(0, sp) : "opaque";
                auth = s.length() > 32 ? "opaque" : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            } else if (auth == null && KEY_HEADERS.contains(n)) {
                auth = "apiKey:header:" + n;
            } else if (n.equals("content-type")) {
                reqType = ObservedRequest.mediaType(v);
            }
        }
        if (auth == null) {
            for (String k : KEY_QUERY) {
                if (query.contains(k)) {
                    auth = "apiKey:query:" + k;
                    break;
                }
            }
        }
        JsonNode post = req.path("postData");
        if (reqType == null && post.hasNonNull("mimeType")) reqType = ObservedRequest.mediaType(post.path("mimeType").asText());
        JsonNode reqBody = reqType != null && reqType.contains("json") ? parseJson(post.path("text").asText(null), false) : null;

        int status = resp.path("status").asInt(0);
        String respType = ObservedRequest.mediaType(resp.path("content").path("mimeType").asText(null));
        String deprecation = null, sunset = null;
        for (JsonNode h : resp.path("headers")) {
            String n = h.path("name").asText("").toLowerCase(Locale.ROOT);
            if (n.equals("deprecation")) deprecation = h.path("value").asText();
            else if (n.equals("sunset")) sunset = h.path("value").asText();
            else if (n.equals("content-type") && respType == null) respType = ObservedRequest.mediaType(h.path("value").asText());
        }
        JsonNode content = resp.path("content");
        JsonNode respBody = respType != null && respType.contains("json")
                ? parseJson(content.path("text").asText(null), "base64".equalsIgnoreCase(content.path("encoding").asText(""))) : null;
        long t = 0;
        String started = entry.path("startedDateTime").asText(null);
        if (started != null) {
            try {
                t = OffsetDateTime.parse(started).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                t = 0;
            }
        }
        String app = entry.path("_portcullis_app").asText(null);
        return new ObservedRequest(t, host, method.toUpperCase(Locale.ROOT), path, List.copyOf(query), status, reqType,
                respType, app, List.of(), auth, reqBody, respBody, deprecation, sunset);
    }

    private JsonNode parseJson(String text, boolean base64) {
        if (text == null || text.isEmpty() || text.length() > MAX_BODY_CHARS) return null;
        try {
            if (base64) text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            JsonNode n = mapper.readTree(text);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** True when the first bytes of a file look like a HAR document ({@code {"log":...}}) rather than JSON lines. */
    public static boolean looksLikeHar(byte[] head, int len) {
        String s = new String(head, 0, len, StandardCharsets.UTF_8);
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i >= s.length() || s.charAt(i) != '{') return false;
        int j = i + 1;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
        return s.startsWith("\"log\"", j);
    }
}
