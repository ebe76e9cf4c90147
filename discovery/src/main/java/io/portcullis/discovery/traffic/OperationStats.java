package io.portcullis.discovery.traffic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Mutable per-operation counters owned by {@link TrafficLearner}; every collection is bounded. Not thread-safe. */
final class OperationStats {
    private static final int MAX_STATUSES = 64;

    long requests;
    long firstSeen;
    long lastSeen;
    final HashMap<Integer, long[]> statuses = new HashMap<>(4);
    final LinkedHashSet<String> requestTypes = new LinkedHashSet<>(2);
    final LinkedHashSet<String> responseTypes = new LinkedHashSet<>(2);
    final LinkedHashMap<String, long[]> queryParams = new LinkedHashMap<>(4);
    final LinkedHashSet<String> dataClasses = new LinkedHashSet<>(2);
    final LinkedHashSet<String> authSchemes = new LinkedHashSet<>(2);
    final LinkedHashSet<String> apps = new LinkedHashSet<>(2);
    boolean appsTruncated;
    SchemaSketch requestSchema;
    SchemaSketch responseSchema;
    String deprecation;
    String sunset;
    // last values seen: repeated values (the common case) skip the set lookups
    private String lastRequestType, lastResponseType, lastAuth, lastApp;
    private int lastStatus = Integer.MIN_VALUE;
    private long[] lastStatusCount;

    void record(ObservedRequest r, LearnerLimits limits) {
        requests++;
        long t = r.epochMillis();
        if (t != 0) {
            if (firstSeen == 0 || t < firstSeen) firstSeen = t;
            if (t > lastSeen) lastSeen = t;
        }
        int status = r.status();
        if (status == lastStatus) {
            lastStatusCount[0]++;
        } else {
            long[] c = statuses.get(status);
            if (c == null && statuses.size() < MAX_STATUSES) statuses.put(status, c = new long[1]);
            if (c != null) {
                c[0]++;
                lastStatus = status;
                lastStatusCount = c;
            }
        }
        int cap = limits.maxNamesPerOperation();
        String rt = r.requestType();
        if (rt != null && !rt.equals(lastRequestType)) {
            addBounded(requestTypes, rt, cap);
            lastRequestType = rt;
        }
        String st = r.responseType();
        if (st != null && !st.equals(lastResponseType)) {
            addBounded(responseTypes, st, cap);
            lastResponseType = st;
        }
        List<String> q = r.queryNames();
        for (int i = 0; i < q.size(); i++) {
            long[] qc = queryParams.get(q.get(i));
            if (qc != null) qc[0]++;
            else if (queryParams.size() < cap) queryParams.put(q.get(i), new long[] {1});
        }
        List<String> dc = r.dataClasses();
        for (int i = 0; i < dc.size(); i++) addBounded(dataClasses, dc.get(i), cap);
        String auth = r.authScheme();
        if (auth != null && !auth.equals(lastAuth)) {
            addBounded(authSchemes, auth, cap);
            lastAuth = auth;
        }
        if (r.app() != null && !r.app().equals(lastApp) && !apps.contains(r.app())) {
            if (apps.size() < limits.maxAppsPerOperation()) apps.add(r.app());
            else appsTruncated = true;
            lastApp = r.app();
        }
        if (r.requestBody() != null) {
            if (requestSchema == null) requestSchema = new SchemaSketch();
            requestSchema.add(r.requestBody());
        }
        if (r.responseBody() != null && r.status() >= 200 && r.status() < 300) {
            if (responseSchema == null) responseSchema = new SchemaSketch();
            responseSchema.add(r.responseBody());
        }
        if (r.deprecation() != null) deprecation = bounded(r.deprecation());
        if (r.sunset() != null) sunset = bounded(r.sunset());
    }

    void merge(OperationStats o, LearnerLimits limits) {
        requests += o.requests;
        if (o.firstSeen != 0 && (firstSeen == 0 || o.firstSeen < firstSeen)) firstSeen = o.firstSeen;
        lastSeen = Math.max(lastSeen, o.lastSeen);
        o.statuses.forEach((k, v) -> {
            long[] c = statuses.get(k);
            if (c != null) c[0] += v[0];
            else if (statuses.size() < MAX_STATUSES) statuses.put(k, new long[] {v[0]});
        });
        int cap = limits.maxNamesPerOperation();
        o.requestTypes.forEach(v -> addBounded(requestTypes, v, cap));
        o.responseTypes.forEach(v -> addBounded(responseTypes, v, cap));
        o.queryParams.forEach((k, v) -> {
            long[] c = queryParams.get(k);
            if (c != null) c[0] += v[0];
            else if (queryParams.size() < cap) queryParams.put(k, new long[] {v[0]});
        });
        o.dataClasses.forEach(v -> addBounded(dataClasses, v, cap));
        o.authSchemes.forEach(v -> addBounded(authSchemes, v, cap));
        for (String a : o.apps) {
            if (apps.size() < limits.maxAppsPerOperation()) apps.add(a);
            else if (!apps.contains(a)) appsTruncated = true;
        }
        appsTruncated |= o.appsTruncated;
        if (o.requestSchema != null) {
            if (requestSchema == null) requestSchema = new SchemaSketch();
            requestSchema.merge(o.requestSchema);
        }
        if (o.responseSchema != null) {
            if (responseSchema == null) responseSchema = new SchemaSketch();
            responseSchema.merge(o.responseSchema);
        }
        if (o.deprecation != null) deprecation = o.deprecation;
        if (o.sunset != null) sunset = o.sunset;
    }

    LearnedOperation toOperation(String host, String method, PathTemplate path) {
        TreeMap<Integer, Long> st = new TreeMap<>();
        statuses.forEach((k, v) -> st.put(k, v[0]));
        LinkedHashMap<String, Long> qp = new LinkedHashMap<>();
        queryParams.forEach((k, v) -> qp.put(k, v[0]));
        return new LearnedOperation(host, method, path, requests, firstSeen, lastSeen, Map.copyOf(st).isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(st),
                List.copyOf(requestTypes), List.copyOf(responseTypes), java.util.Collections.unmodifiableMap(qp),
                sorted(dataClasses), sorted(authSchemes), sorted(apps), appsTruncated,
                requestSchema == null ? null : requestSchema.toJsonSchema(),
                responseSchema == null ? null : responseSchema.toJsonSchema(), deprecation, sunset);
    }

    private static List<String> sorted(java.util.Collection<String> c) {
        ArrayList<String> l = new ArrayList<>(c);
        l.sort(null);
        return List.copyOf(l);
    }

    private static void addBounded(LinkedHashSet<String> set, String v, int cap) {
        if (v != null && set.size() < cap) set.add(v);
    }

    private static String bounded(String v) {
        return v.length() > 200 ? v.substring(0, 200) : v;
    }
}
