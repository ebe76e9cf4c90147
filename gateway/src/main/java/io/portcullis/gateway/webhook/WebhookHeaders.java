package io.portcullis.gateway.webhook;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only, case-insensitive view of request headers. The gateway adapts its own header type with
 * a lambda, e.g. {@code WebhookHeaders h = nettyHeaders::getAll;}.
 */
@FunctionalInterface
public interface WebhookHeaders {

    /** All values of the header {@code name} (matched case-insensitively), in arrival order; empty if absent. */
    List<String> all(String name);

    /** A view over a plain map; names are matched case-insensitively. */
    static WebhookHeaders of(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> ci.merge(k, List.copyOf(v), (a, b) -> {
            var merged = new java.util.ArrayList<>(a);
            merged.addAll(b);
            return List.copyOf(merged);
        }));
        return name -> ci.getOrDefault(name, List.of());
    }

    /** Convenience for tests and single-valued headers: {@code ofSingle("A", "1", "B", "2")}. */
    static WebhookHeaders ofSingle(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.computeIfAbsent(namesAndValues[i], k -> new java.util.ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return of(map);
    }
}
