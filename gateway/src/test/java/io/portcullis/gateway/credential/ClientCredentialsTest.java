package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.core.secret.SecretValue;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth 2.0 client credentials against a real authorization server (mock-oauth2-server) and a real resource server. */
class ClientCredentialsTest {
    static final String SECRET = "cs-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    @TempDir
    Path dir;
    AuthServer auth;
    ResourceServer api;
    MutableClock clock;
    CredentialBroker broker;
    SecretStore store;

    @BeforeEach
    void start() throws Exception {
        auth = new AuthServer();
        auth.clientSecret = SECRET;
        api = new ResourceServer();
        api.auth = auth;
        clock = new MutableClock();
        store = new SecretStore(dir.resolve("secrets.pcs"), MasterKey.generate(), clock);
        broker = new CredentialBroker(new SecretResolver(Map.of("VENDOR_SECRET", SECRET), store), clock, e -> { }, null);
    }

    @AfterEach
    void stop() {
        broker.close();
        api.close();
        auth.close();
    }

    private CredentialPolicy policy(String auth_, String extra) {
        var spec = Specs.read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: %s
                  allowInsecureHttp: true
                  clientId: portcullis
                  auth: %s
                  scopes: [payments.read, payments.write]
                %s
                """.formatted(auth.tokenUrl(), auth_, extra.indent(2)));
        return new CredentialPolicy(broker.register("vendor/payments", spec), api.base());
    }

    @Test
    void clientSecretBasicSendsTheSecretInTheAuthorizationHeaderAndTheTokenAsBearer() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var r = new PolicyDriver(api.base()).get(p, "/charges");
        assertThat(r.status()).isEqualTo(200);
        assertThat(auth.recorded).singleElement().satisfies(rec -> {
            assertThat(rec.headers().get("authorization")).startsWith("Basic ");
            assertThat(rec.form()).containsEntry("grant_type", "client_credentials").containsEntry("scope", "payments.read payments.write")
                    .doesNotContainKey("client_secret");
        });
        assertThat(api.seen.get(0).headers().get("authorization")).isEqualTo("Bearer " + auth.issuedTokens.get(0));
        assertThat(r.exchange().authScheme()).isEqualTo("oauth2");
    }

    @Test
    void clientSecretPostSendsTheSecretInTheFormBody() throws Exception {
        var p = policy("client-secret-post", "clientSecret: env:VENDOR_SECRET");
        assertThat(new PolicyDriver(api.base()).get(p, "/charges").status()).isEqualTo(200);
        assertThat(auth.recorded).singleElement().satisfies(rec -> {
            assertThat(rec.headers()).doesNotContainKey("authorization");
            assertThat(rec.form()).containsEntry("client_id", "portcullis").containsEntry("client_secret", SECRET);
        });
    }

    @Test
    void privateKeyJwtSignsAnAssertionForTheIssuerWithAFreshJtiEachTime() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        store.put("vendor/jwt-key", SecretValue.ofUtf8(key.toJSONString()));
        auth.clientKey = key.toPublicJWK();
        auth.expectedAssertionAudience = auth.issuer();
        auth.expiresIn = 120;
        var p = policy("private-key-jwt", "privateKey: store:vendor/jwt-key\nissuer: " + auth.issuer());
        var d = new PolicyDriver(api.base());
        assertThat(d.get(p, "/a").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(130)); // past expiry: a second assertion is needed
        assertThat(d.get(p, "/b").status()).isEqualTo(200);
        assertThat(auth.issued.get()).isEqualTo(2);
        var jtis = new HashSet<String>();
        for (var rec : auth.recorded) {
            var jwt = SignedJWT.parse(rec.form().get("client_assertion"));
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
            assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(auth.issuer());
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("portcullis");
            jtis.add(jwt.getJWTClaimsSet().getJWTID());
        }
        assertThat(jtis).hasSize(2);
        assertThat(auth.jtis).hasSize(2);
    }

    @Test
    void privateKeyJwtAudienceCanBeOverriddenForServersExpectingTheTokenUrl() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        store.put("vendor/jwt-key", SecretValue.ofUtf8(key.toJSONString()));
        auth.clientKey = key.toPublicJWK();
        auth.expectedAssertionAudience = auth.tokenUrl().toString();
        var p = policy("private-key-jwt", "privateKey: store:vendor/jwt-key\nassertionAudience: " + auth.tokenUrl());
        assertThat(new PolicyDriver(api.base()).get(p, "/a").status()).isEqualTo(200);
    }

    @Test
    void aWrongClientSecretIsA503ProblemNamingTheErrorCodeNotTheSecret() throws Exception {
        auth.clientSecret = "something-else";
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var r = new PolicyDriver(api.base()).get(p, "/a");
        assertThat(r.status()).isEqualTo(503);
        String json = new String(r.problem().toJson("1"));
        assertThat(json).contains("credential-unavailable").doesNotContain(SECRET);
        assertThat(r.problem().headers()).containsKey("Retry-After");
        assertThat(api.requests.get()).isZero();
        var err = p.credential().attach(new RequestTarget("GET", "http", "x", "/")).handle((a, e) -> e).get(30, TimeUnit.SECONDS);
        assertThat(TokenCache.unwrap(err)).hasMessageContaining("invalid_client").hasMessageNotContaining(SECRET);
    }

    @Test
    void tokensAreRenewedBeforeExpiryInTheBackgroundAndFetchedAgainAfterExpiry() throws Exception {
        auth.expiresIn = 600;
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET\nrenewBefore: 60s");
        var c = p.credential();
        var target = new RequestTarget("GET", "http", "x", "/");
        Attachment first = c.attach(target).get(30, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(500));
        assertThat(c.attach(target).get(30, TimeUnit.SECONDS)).as("fresh: served from cache").isSameAs(first);
        assertThat(auth.tokenRequests.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(50)); // 550s: inside the 60s renewal window, still valid
        assertThat(c.attach(target).get(30, TimeUnit.SECONDS)).as("renewal window: current token served at once").isSameAs(first);
        Attachment renewed = null;
        for (int i = 0; i < 600 && (renewed == null || renewed == first); i++) {
            Thread.sleep(50);
            renewed = c.attach(target).get(30, TimeUnit.SECONDS);
        }
        assertThat(renewed).isNotSameAs(first);
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
        assertThat(renewed.headerValue(0)).isEqualTo("Bearer " + auth.issuedTokens.get(1));
        clock.advance(Duration.ofSeconds(700)); // past expiry of the renewed token: the request waits for a fetch
        Attachment third = c.attach(target).get(30, TimeUnit.SECONDS);
        assertThat(third.headerValue(0)).isEqualTo("Bearer " + auth.issuedTokens.get(2));
        assertThat(auth.tokenRequests.get()).isEqualTo(3);
    }

    @Test
    void twoHundredConcurrentRequestsCauseExactlyOneTokenRequest() throws Exception {
        auth.delayMs = 300; // keep the fetch in flight while the requests pile up
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var c = p.credential();
        var futures = new ArrayList<CompletableFuture<Attachment>>();
        var start = new java.util.concurrent.CountDownLatch(1);
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 200; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (futures) {
                    futures.add(c.attach(new RequestTarget("GET", "http", "x", "/")));
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        var values = new HashSet<String>();
        for (var f : futures) values.add(f.get(60, TimeUnit.SECONDS).headerValue(0));
        assertThat(futures).hasSize(200);
        assertThat(values).hasSize(1);
        assertThat(auth.tokenRequests.get()).as("token requests seen by the authorization server").isEqualTo(1);
    }

    @Test
    void aVendor401InvalidTokenFetchesANewTokenAndRetriesOnce() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var d = new PolicyDriver(api.base());
        assertThat(d.get(p, "/a").status()).isEqualTo(200);
        api.revoked.add(auth.issuedTokens.get(0)); // the vendor revokes the cached token
        var r = d.get(p, "/b");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
        assertThat(r.exchange().decisions()).anySatisfy(dec -> assertThat(dec.reason()).contains("one replay"));
    }

    @Test
    void aVendorRejectingEveryTokenGetsOneRetryAndCannotCauseATokenStorm() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var d = new PolicyDriver(api.base());
        api.rejectAllTokens = true;
        var r = d.get(p, "/a");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.attempts()).isEqualTo(2);
        for (int i = 0; i < 20; i++) assertThat(d.get(p, "/b").status()).isEqualTo(401);
        assertThat(auth.tokenRequests.get()).as("one fetch, one refetch, then invalidation is rate-limited").isEqualTo(2);
    }

    @Test
    void tokenEndpointOutageIs503WithBackoffAndRecoversWithoutAStorm() throws Exception {
        auth.down = true;
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var d = new PolicyDriver(api.base());
        var first = d.get(p, "/a");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.problem().detail()).contains("vendor/payments");
        for (int i = 0; i < 50; i++) {
            var r = d.get(p, "/a");
            assertThat(r.status()).isEqualTo(503);
            assertThat(Long.parseLong(r.problem().headers().get("Retry-After"))).isBetween(1L, 60L);
        }
        assertThat(auth.tokenRequests.get()).as("backoff: no token request while waiting").isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.get(p, "/a").status()).isEqualTo(503);
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1)); // second backoff is ~2s: still waiting
        d.get(p, "/a");
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
        auth.down = false;
        clock.advance(Duration.ofSeconds(5));
        assertThat(d.get(p, "/a").status()).isEqualTo(200);
        assertThat(auth.tokenRequests.get()).isEqualTo(3);
        assertThat(api.requests.get()).isEqualTo(1);
    }

    @Test
    void tokenResponsesAreReadUpToTheLimitAndRefusedBeyondIt() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var target = new RequestTarget("GET", "http", "x", "/");
        auth.padTo = TokenEndpoint.MAX_RESPONSE_BYTES + 1;
        var err = p.credential().attach(target).handle((a, e) -> e).get(30, TimeUnit.SECONDS);
        assertThat(TokenCache.unwrap(err)).hasMessageContaining("larger than " + TokenEndpoint.MAX_RESPONSE_BYTES);
        auth.padTo = TokenEndpoint.MAX_RESPONSE_BYTES;
        clock.advance(Duration.ofSeconds(2)); // past the first backoff
        assertThat(p.credential().attach(target).get(30, TimeUnit.SECONDS).headerValue(0)).startsWith("Bearer ");
    }

    @Test
    void theTokenEndpointsRetryAfterExtendsTheBackoff() throws Exception {
        auth.down = true;
        auth.retryAfter = "120";
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        var d = new PolicyDriver(api.base());
        assertThat(d.get(p, "/a").status()).isEqualTo(503);
        var r = d.get(p, "/a");
        assertThat(Long.parseLong(r.problem().headers().get("Retry-After"))).isBetween(100L, 120L);
        auth.down = false;
        clock.advance(Duration.ofSeconds(60)); // past our own backoff, not past the server's
        assertThat(d.get(p, "/a").status()).isEqualTo(503);
        assertThat(auth.tokenRequests.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        assertThat(d.get(p, "/a").status()).isEqualTo(200);
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
    }

    @Test
    void prefetchWarmsTheCacheSoTheFirstRequestDoesNotWait() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET");
        broker.prefetchAll().get(60, TimeUnit.SECONDS);
        assertThat(auth.tokenRequests.get()).isEqualTo(1);
        var f = p.credential().attach(new RequestTarget("GET", "http", "x", "/"));
        assertThat(f).isCompleted();
        broker.prefetchAll().get(60, TimeUnit.SECONDS);
        assertThat(auth.tokenRequests.get()).as("nothing to fetch when cached").isEqualTo(1);
    }

    @Test
    void credentialsTheAppSentAreStrippedBeforeTheVendorSeesThem() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET\nstrip: {headers: [X-Api-Key], query: [api_key]}");
        var r = new PolicyDriver(api.base()).send(p, "GET", "/charges", "limit=3&api_key=app-own-key&x=1",
                Map.of("Authorization", "Bearer app-own-token", "X-Api-Key", "app-own-key", "DPoP", "x"));
        assertThat(r.status()).isEqualTo(200);
        var seen = api.seen.get(0);
        assertThat(seen.query()).isEqualTo("limit=3&x=1");
        assertThat(seen.headers()).doesNotContainKey("x-api-key").doesNotContainKey("dpop");
        assertThat(seen.headers().get("authorization")).isEqualTo("Bearer " + auth.issuedTokens.get(0));
    }

    @Test
    void keepAppCredentialsIsAnOptInThatIsFlagged() throws Exception {
        var p = policy("client-secret-basic", "clientSecret: env:VENDOR_SECRET\nkeepAppCredentials: true\nstrip: {headers: [X-Api-Key]}");
        var r = new PolicyDriver(api.base()).send(p, "GET", "/c", null, Map.of("X-Api-Key", "app-own-key"));
        assertThat(api.seen.get(0).headers()).containsEntry("x-api-key", "app-own-key");
        assertThat(r.exchange().decisions()).anySatisfy(dec -> assertThat(dec.reason()).contains("keepAppCredentials"));
    }
}
