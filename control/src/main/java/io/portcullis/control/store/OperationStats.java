package io.portcullis.control.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What is known about one API operation {@code (host, method, pathTemplate)}: either a delta to merge into
 * the store, or the merged state read back from it.
 *
 * @param vendor         registry id of the vendor, or null when unknown
 * @param statuses       HTTP status code to count
 * @param requestSchema  JSON Schema (as JSON text) inferred from request bodies, or null
 * @param responseSchema JSON Schema (as JSON text) inferred from response bodies, or null
 * @param authSchemes    schemes seen ({@code bearer}, {@code basic}, {@code api-key-header}...), never credentials
 */
public record OperationStats(String host, String method, String pathTemplate, String vendor, Instant firstSeen,
                             Instant lastSeen, long requestCount, Map<Integer, Long> statuses, Set<String> contentTypes,
                             Set<String> queryNames, String requestSchema, String responseSchema, Set<String> dataClasses,
                             Set<String> authSchemes, Set<String> apps) {
    public OperationStats {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (requestCount < 0) {
            throw new IllegalArgumentException("requestCount must not be negative");
        }
        statuses = sorted(statuses);
        contentTypes = sorted(contentTypes);
        queryNames = sorted(queryNames);
        dataClasses = sorted(dataClasses);
        authSchemes = sorted(authSchemes);
        apps = sorted(apps);
    }

    /** A delta for one request seen at {@code at}, to be merged with {@link InventoryStore#upsertOperation}. */
    public static OperationStats seen(String host, String method, String pathTemplate, Instant at) {
        return new OperationStats(host, method, pathTemplate, null, at, at, 1, Map.of(), Set.of(), Set.of(), null, null,
                Set.of(), Set.of(), Set.of());
    }

    /**
     * This and a delta combined: counts and status counts add, first/last seen widen, sets unite, and the
     * delta's schemas and vendor replace ours when it has them.
     */
    public OperationStats merge(OperationStats d) {
        SortedMap<Integer, Long> st = new TreeMap<>(statuses);
        d.statuses.forEach((k, v) -> st.merge(k, v, Long::sum));
        return new OperationStats(host, method, pathTemplate, d.vendor != null ? d.vendor : vendor,
                firstSeen.isBefore(d.firstSeen) ? firstSeen : d.firstSeen, lastSeen.isAfter(d.lastSeen) ? lastSeen : d.lastSeen,
                requestCount + d.requestCount, st, union(contentTypes, d.contentTypes), union(queryNames, d.queryNames),
                d.requestSchema != null ? d.requestSchema : requestSchema, d.responseSchema != null ? d.responseSchema : responseSchema,
                union(dataClasses, d.dataClasses), union(authSchemes, d.authSchemes), union(apps, d.apps));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        SortedSet<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static <K extends Comparable<K>, V> Map<K, V> sorted(Map<K, V> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    private static Set<String> sorted(Set<String> s) {
        return s == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(s));
    }
}
