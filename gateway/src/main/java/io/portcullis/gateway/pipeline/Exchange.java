package io.portcullis.gateway.pipeline;

import io.netty.channel.EventLoop;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one exchange as it moves through the policy chain: the app's request (whose headers
 * policies may edit before it leaves), what was decided about it, and the vendor's response.
 * Confined to one event loop; not thread-safe.
 */
public final class Exchange {
    private final String requestId;
    private final Instant startTime;
    private final long startNanos;
    private final HttpRequest request;
    private final SocketAddress clientAddress;
    private final X509Certificate[] clientCertificates;
    private final String protocol;
    private final EventLoop eventLoop;
    private final List<Decision> decisions = new ArrayList<>(4);
    private final List<FindingRecord> findings = new ArrayList<>(0);
    private final Set<String> dataClasses = new LinkedHashSet<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    /** Policy state as key/value pairs in one small array: a chain has a handful of stateful policies. */
    private Object[] state = new Object[8];
    private int stateSize;
    private String app;
    private String vendor;
    private String api;
    private String upstreamHost;
    private String pathInRoute;
    private String authScheme;
    private HttpResponse response;

    public Exchange(String requestId, Instant startTime, long startNanos, HttpRequest request, SocketAddress clientAddress,
                    X509Certificate[] clientCertificates, String protocol, EventLoop eventLoop) {
        this.requestId = requestId;
        this.startTime = startTime;
        this.startNanos = startNanos;
        this.request = request;
        this.clientAddress = clientAddress;
        this.clientCertificates = clientCertificates;
        this.protocol = protocol;
        this.eventLoop = eventLoop;
    }

    public String requestId() { return requestId; }
    public Instant startTime() { return startTime; }
    public long startNanos() { return startNanos; }
    /** The request as it will be sent upstream; policies may edit its headers during request-head phases. */
    public HttpRequest request() { return request; }
    public SocketAddress clientAddress() { return clientAddress; }
    /** The app's verified client certificate chain on the TLS listener, or an empty array. */
    public X509Certificate[] clientCertificates() { return clientCertificates; }
    public String protocol() { return protocol; }
    public EventLoop eventLoop() { return eventLoop; }

    public String app() { return app; }
    public void app(String app) { this.app = app; }
    public String vendor() { return vendor; }
    public String api() { return api; }
    public void route(String vendor, String api, String upstreamHost) {
        this.vendor = vendor;
        this.api = api;
        this.upstreamHost = upstreamHost;
    }
    public String upstreamHost() { return upstreamHost; }
    /** The request path below the route prefix (always starting with '/'), without the query. */
    public String pathInRoute() { return pathInRoute; }
    public void pathInRoute(String p) { this.pathInRoute = p; }
    public String authScheme() { return authScheme; }
    /** Names how the vendor credential was attached (e.g. {@code bearer}); never the credential itself. */
    public void authScheme(String s) { this.authScheme = s; }
    public HttpResponse response() { return response; }
    public void response(HttpResponse r) { this.response = r; }

    /** Records what a policy decided, for the audit trail; {@code reason} must be safe to log. */
    public void decide(String policy, Decision.Outcome outcome, String reason) {
        decisions.add(new Decision(policy, outcome, reason));
    }
    public List<Decision> decisions() { return Collections.unmodifiableList(decisions); }

    /** Records an inspection finding; its detail is already masked and never holds the raw value. */
    public void find(FindingRecord f) {
        findings.add(f);
    }
    public List<FindingRecord> findings() { return Collections.unmodifiableList(findings); }
    public void dataClass(String c) { dataClasses.add(c); }
    public Set<String> dataClasses() { return Collections.unmodifiableSet(dataClasses); }
    /** Free-form audit attributes; values must already be safe to log. */
    public void attribute(String k, String v) { attributes.put(k, v); }
    public Map<String, String> attributes() { return Collections.unmodifiableMap(attributes); }

    /** Per-exchange state a policy keeps between its phases, keyed by the policy's own type. */
    public <T> T state(Class<T> key) {
        for (int i = 0; i < stateSize; i += 2) if (state[i] == key) return key.cast(state[i + 1]);
        return null;
    }

    public <T> void state(Class<T> key, T value) {
        for (int i = 0; i < stateSize; i += 2) {
            if (state[i] == key) {
                state[i + 1] = value;
                return;
            }
        }
        if (stateSize == state.length) state = java.util.Arrays.copyOf(state, state.length * 2);
        state[stateSize++] = key;
        state[stateSize++] = value;
    }
}
