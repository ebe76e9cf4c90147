package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One request to a third-party API as seen by Portcullis (gateway event, audit log line or HAR entry), reduced to
 * what inventory learning needs. Never carries credentials or query values: only names, schemes and shapes.
 *
 * @param epochMillis     when the request was made, or {@code 0} when unknown
 * @param host            vendor host, lower case, with {@code :port} only when the port is not the scheme default
 * @param method          HTTP method, upper case
 * @param path            raw request path without query string (percent-encoding kept as sent)
 * @param queryNames      names of query parameters (values are never kept)
 * @param status          response status, or {@code 0} when no response was seen
 * @param requestType     request media type without parameters, or {@code null}
 * @param responseType    response media type without parameters, or {@code null}
 * @param app             calling application as identified by the gateway, or {@code null}
 * @param dataClasses     data classes the DLP engine reported for this exchange (e.g. {@code card_number})
 * @param authScheme      how the request authenticated (e.g. {@code Bearer}, {@code Basic}, {@code apiKey:header:x-api-key}), never the credential
 * @param requestBody     parsed JSON request body for schema inference, or {@code null}
 * @param responseBody    parsed JSON response body for schema inference, or {@code null}
 * @param deprecation     value of the response {@code Deprecation} header, or {@code null}
 * @param sunset          value of the response {@code Sunset} header, or {@code null}
 */
public record ObservedRequest(long epochMillis, String host, String method, String path, List<String> queryNames,
                              int status, String requestType, String responseType, String app,
                              List<String> dataClasses, String authScheme, JsonNode requestBody,
                              JsonNode responseBody, String deprecation, String sunset) {

    public ObservedRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        queryNames = queryNames == null ? List.of() : queryNames;
        dataClasses = dataClasses == null ? List.of() : dataClasses;
    }

    /** A minimal request: host, method and path only (handy for tests and synthetic feeds). */
    public static ObservedRequest of(String host, String method, String path) {
        return new ObservedRequest(0, host.toLowerCase(Locale.ROOT), method.toUpperCase(Locale.ROOT), path, List.of(),
                200, null, null, null, List.of(), null, null, null, null, null);
    }

    /** Media type without parameters, lower case ({@code application/json; charset=utf-8} becomes {@code application/json}). */
    public static String mediaType(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        String t = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? null : t;
    }

    /** Names of the parameters in a raw query string ({@code a=1&b&c=} gives a, b, c); values are dropped. */
    public static List<String> queryNamesOf(String query) {
        if (query == null || query.isEmpty()) return List.of();
        java.util.ArrayList<String> names = new java.util.ArrayList<>(4);
        int start = 0;
        int n = query.length();
        while (start <= n) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', start);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            if (nameEnd > start) {
                String name = query.substring(start, nameEnd);
                if (name.indexOf('%') >= 0 || name.indexOf('+') >= 0) {
                    try {
                        name = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        // keep the raw name
                    }
                }
                if (!names.contains(name)) names.add(name);
            }
            if (amp < 0) break;
            start = amp + 1;
        }
        return names;
    }
}
