package io.portcullis.gateway.credential;

import io.portcullis.core.config.CredentialSpec;
import io.portcullis.core.secret.SecretRef;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Holds every API's vendor credential; apps never see them.
 *
 * <p>Builds {@link ApiCredential}s from {@link CredentialSpec}s ({@link #register}), shares one
 * {@link TokenCache} among them, watches the secret store ({@link #startWatching}): when a rotation renames a
 * new store file in, every credential re-resolves its secrets and the next request uses the new primary
 * version, while requests in flight finish with the attachment they already hold. It also tracks credential
 * age and reports each credential past its {@code maxAge} to the {@link CredentialAgeListener} at most once a day.
 *
 * <p>Token fetches run on virtual threads and {@code java.net.http}'s asynchronous client; nothing here blocks
 * a caller's thread.
 */
public final class CredentialBroker implements AutoCloseable {
    /** Minimum time between two age events for the same credential. */
    public static final Duration AGE_EVENT_INTERVAL = Duration.ofDays(1);

    private final SecretResolver resolver;
    private final Clock clock;
    private final CredentialAgeListener ageListener;
    private final TrustManager[] tokenTrust;
    private final TokenCache cache;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient defaultClient;
    private final Map<String, Registered> byApi = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastAgeEvent = new ConcurrentHashMap<>();
    private volatile String lastReloadError;
    private ScheduledExecutorService watcher;

    private record Registered(ApiCredential credential, CredentialSpec spec) {
    }

    /**
     * @param tokenTrust trust managers for token endpoints (null: the JDK's default trust store)
     */
    public CredentialBroker(SecretResolver resolver, Clock clock, CredentialAgeListener ageListener, TrustManager[] tokenTrust) {
        this.resolver = resolver;
        this.clock = clock;
        this.ageListener = ageListener;
        this.tokenTrust = tokenTrust;
        this.cache = new TokenCache(clock);
        this.defaultClient = client(null);
        resolver.onChange(this::reload);
    }

    public CredentialBroker(SecretResolver resolver) {
        this(resolver, Clock.systemUTC(), e -> { }, null);
    }

    private HttpClient client(ClientTlsIdentity tls) {
        var b = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        try {
            if (tls != null) b.sslContext(tls.sslContext(tokenTrust));
            else if (tokenTrust != null) {
                var ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tokenTrust, null);
                b.sslContext(ctx);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS context for token endpoints cannot be built");
        }
        return b.build();
    }

    /**
     * Builds the credential of one API, resolving its secrets now. Throws
     * {@link io.portcullis.core.secret.SecretResolutionException} (naming the reference) or
     * {@link IllegalArgumentException} (naming what is wrong with key material) — never with a value.
     */
    public ApiCredential register(String api, CredentialSpec spec) {
        ApiCredential c = switch (spec) {
            case CredentialSpec.ClientCredentials cc -> oauth2(api, cc);
            default -> new StaticCredential(api, spec, resolver);
        };
        byApi.put(api, new Registered(c, spec));
        return c;
    }

    private OAuth2Credential oauth2(String api, CredentialSpec.ClientCredentials spec) {
        ClientTlsIdentity tls = null;
        if (spec.mtls() != null) {
            tls = ClientTlsIdentity.of(resolver.resolve(spec.mtls().certificate()), resolver.resolve(spec.mtls().privateKey()), api + " mtls");
        }
        DpopProver dpop = null;
        if (spec.dpop()) {
            SecretStore store = resolver.store().orElseThrow(() -> new IllegalArgumentException(
                    "API " + api + " uses dpop: true, which keeps its key pair in the secret store; configure a secret store"));
            dpop = DpopProver.forApi(store, api);
        }
        String binding = dpop != null ? "jkt:" + dpop.thumbprint() : tls != null ? "x5t:" + tls.thumbprint() : "";
        var key = new TokenKey(spec.tokenUrl().toString(), spec.clientId(), spec.scopes(), spec.audience(), spec.resource(), binding);
        var endpoint = new TokenEndpoint(spec, OAuth2Credential.secrets(spec, resolver), dpop, tls != null ? client(tls) : defaultClient, executor, clock);
        return new OAuth2Credential(api, spec, endpoint, cache.slot(key, api), dpop, tls);
    }

    /**
     * Fetches a token for every OAuth credential that has none cached, so the first requests do not wait and a
     * broken token endpoint shows at startup. Returns a future that completes (never exceptionally) when all
     * fetches have ended; failures are left to the usual backoff and reported per request.
     */
    public java.util.concurrent.CompletableFuture<Void> prefetchAll() {
        var all = byApi.values().stream().map(Registered::credential)
                .filter(c -> c instanceof OAuth2Credential).map(c -> ((OAuth2Credential) c).prefetch().handle((x, e) -> null))
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        return java.util.concurrent.CompletableFuture.allOf(all);
    }

    public Optional<ApiCredential> credential(String api) {
        return Optional.ofNullable(byApi.get(api)).map(Registered::credential);
    }

    /**
     * Re-resolves every credential's secrets (called when the store changed). A credential whose secret can no
     * longer be resolved keeps its previous value; the failure is kept in {@link #lastReloadError()}.
     */
    public void reload() {
        String err = null;
        for (var r : byApi.values()) {
            try {
                switch (r.credential()) {
                    case StaticCredential s -> s.reload(resolver);
                    case OAuth2Credential o -> o.reload(resolver);
                }
            } catch (RuntimeException e) {
                err = "API " + r.credential().api() + ": " + e.getMessage();
            }
        }
        lastReloadError = err;
    }

    /**
     * Re-reads the secret store now if its file changed (what the watcher does periodically; also for a
     * reload signal). Returns true when it changed and credentials were re-resolved.
     */
    public boolean refreshSecrets() {
        return resolver.refresh();
    }

    /** The last re-resolution or store-read failure (reference/file and reason only), or null. */
    public String lastReloadError() {
        String e = lastReloadError;
        return e != null ? e : resolver.lastRefreshError();
    }

    /** The age of one secret behind a credential. */
    public record CredentialAge(String api, String reference, Instant createdAt, Duration age, Duration maxAge) {
        public boolean tooOld() {
            return maxAge != null && age.compareTo(maxAge) > 0;
        }
    }

    /** Ages of every secret whose creation time is known (store entries and files; not environment variables). */
    public List<CredentialAge> ages() {
        var out = new ArrayList<CredentialAge>();
        Instant now = clock.instant();
        for (var r : byApi.values()) {
            for (SecretRef ref : r.spec().secretRefs()) {
                resolver.createdAt(ref).ifPresent(created -> out.add(new CredentialAge(r.credential().api(), ref.text(), created,
                        Duration.between(created, now), r.spec().common().maxAge())));
            }
        }
        return out;
    }

    /** Emits an event for each credential past its maxAge, unless one was emitted for it in the last day. */
    public void checkAges() {
        Instant now = clock.instant();
        for (CredentialAge a : ages()) {
            if (!a.tooOld()) continue;
            String k = a.api() + " " + a.reference();
            Instant last = lastAgeEvent.get(k);
            if (last != null && Duration.between(last, now).compareTo(AGE_EVENT_INTERVAL) < 0) continue;
            lastAgeEvent.put(k, now);
            ageListener.onCredentialTooOld(new CredentialAgeEvent(a.api(), a.reference(), a.createdAt(), a.age(), a.maxAge()));
        }
    }

    /** Polls the store file every {@code interval} (re-resolving on change) and checks ages every hour. */
    public synchronized void startWatching(Duration interval) {
        if (watcher != null) return;
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-secret-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> {
            try {
                resolver.refresh();
            } catch (RuntimeException e) {
                lastReloadError = e.getMessage();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        watcher.scheduleWithFixedDelay(() -> {
            try {
                checkAges();
            } catch (RuntimeException e) {
                lastReloadError = e.getMessage();
            }
        }, 0, 1, TimeUnit.HOURS);
    }

    @Override
    public synchronized void close() {
        if (watcher != null) watcher.shutdownNow();
        executor.shutdownNow();
    }
}
