package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.core.secret.SecretValue;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static keys (header, bearer, basic, query), rotation under load, and credential age events. */
class StaticCredentialTest {
    @TempDir
    Path dir;
    ResourceServer api;
    SecretStore store;
    MutableClock clock;
    CredentialBroker broker;
    final List<CredentialAgeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new ResourceServer();
        clock = new MutableClock();
        store = new SecretStore(dir.resolve("secrets.pcs"), MasterKey.generate(), clock);
        broker = new CredentialBroker(new SecretResolver(Map.of("ACME_TOKEN", "tok-env-5b1e0f3a9c"), store), clock, events::add, null);
    }

    @AfterEach
    void stop() {
        broker.close();
        api.close();
    }

    private CredentialPolicy policy(String yaml) {
        return new CredentialPolicy(broker.register("acme/api", Specs.read(yaml)), api.base());
    }

    @Test
    void headerKeyReplacesWhateverTheAppSent() throws Exception {
        store.put("acme/key", SecretValue.ofUtf8("ak-live-77c1d2e3f4"));
        api.headerName = "X-Api-Key";
        api.acceptHeader = "ak-live-77c1d2e3f4"::equals;
        var p = policy("credential: {kind: header, header: X-Api-Key, value: store:acme/key}");
        var r = new PolicyDriver(api.base()).send(p, "GET", "/things", null, Map.of("X-Api-Key", "app-guess", "Authorization", "Basic eA=="));
        assertThat(r.status()).isEqualTo(200);
        assertThat(api.seen.get(0).headers()).doesNotContainKey("authorization").containsEntry("x-api-key", "ak-live-77c1d2e3f4");
        assertThat(r.exchange().authScheme()).isEqualTo("header");
    }

    @Test
    void bearerAndBasicAreBuiltFromTheirSecrets() throws Exception {
        api.acceptHeader = "Bearer tok-env-5b1e0f3a9c"::equals;
        assertThat(new PolicyDriver(api.base()).get(policy("credential: {kind: bearer, token: env:ACME_TOKEN}"), "/x").status()).isEqualTo(200);
        store.put("acme/pw", SecretValue.ofUtf8("pw-3e4f5a6b7c"));
        String expected = "Basic " + Base64.getEncoder().encodeToString("svc:pw-3e4f5a6b7c".getBytes());
        api.acceptHeader = expected::equals;
        assertThat(new PolicyDriver(api.base()).get(policy("credential: {kind: basic, username: svc, password: store:acme/pw}"), "/x").status()).isEqualTo(200);
    }

    @Test
    void queryCredentialIsAppendedTheAppsOwnIsStrippedAndTheExchangeIsFlaggedWeak() throws Exception {
        store.put("acme/key", SecretValue.ofUtf8("q k&=1"));
        api.headerName = "query";
        api.acceptHeader = "page=2&api_key=q+k%26%3D1"::equals;
        var p = policy("credential: {kind: query, param: api_key, value: store:acme/key, allowWeakQueryCredential: true}");
        var r = new PolicyDriver(api.base()).send(p, "GET", "/x", "api_key=app-own&page=2", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.exchange().attributes()).containsKey("credential.weak");
        assertThat(p.credential().weak()).isTrue();
    }

    @Test
    void aSecretThatWouldSplitAHeaderIsRefusedWithoutShowingIt() {
        store.put("acme/key", SecretValue.ofUtf8("abc\r\nX-Evil: 1"));
        assertThatThrownBy(() -> policy("credential: {kind: header, header: X-Api-Key, value: store:acme/key}"))
                .hasMessageContaining("line break").hasMessageNotContaining("X-Evil");
    }

    @Test
    void rotationUnderLoadDropsNoRequest() throws Exception {
        var accepted = ConcurrentHashMap.<String>newKeySet();
        accepted.add("key-v1");
        store.put("acme/key", SecretValue.ofUtf8("key-v1"));
        api.headerName = "X-Api-Key";
        api.acceptHeader = accepted::contains;
        var p = policy("credential: {kind: header, header: X-Api-Key, value: store:acme/key}");
        broker.startWatching(Duration.ofMillis(20));
        var stop = new AtomicBoolean();
        var ok = new AtomicInteger();
        var failed = new CopyOnWriteArrayList<String>();
        var load = new ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            load.add(Thread.ofPlatform().start(() -> {
                var d = new PolicyDriver(api.base());
                while (!stop.get()) {
                    try {
                        var r = d.get(p, "/x");
                        if (r.status() == 200) ok.incrementAndGet();
                        else failed.add("status " + r.status());
                    } catch (Exception e) {
                        failed.add(e.toString());
                    }
                }
            }));
        }
        try {
            var target = new RequestTarget("GET", "http", "x", "/");
            for (int v = 2; v <= 6; v++) {
                String key = "key-v" + v;
                accepted.add(key);                                         // the vendor issues a new key
                store.rotate("acme/key", SecretValue.ofUtf8(key), Duration.ofMinutes(10)); // secrets rotate
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120); // a bound, not a timing assertion
                while (!p.credential().attach(target).join().headerValue(0).equals(key) && System.nanoTime() < deadline) Thread.sleep(10);
                assertThat(p.credential().attach(target).join().headerValue(0)).as("rotation picked up").isEqualTo(key);
                accepted.remove("key-v" + (v - 2));                        // two rotations later the vendor revokes
                int before = ok.get();
                while (ok.get() < before + 20 && failed.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            }
        } finally {
            stop.set(true);
            for (Thread t : load) t.join();
        }
        assertThat(failed).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(100);
        assertThat(api.seen).anySatisfy(s -> assertThat(s.headers().get("x-api-key")).isEqualTo("key-v6"));
        assertThat(broker.lastReloadError()).isNull();
    }

    @Test
    void aSecretRemovedFromTheStoreKeepsTheLastValueAndReportsTheReference() throws Exception {
        store.put("acme/key", SecretValue.ofUtf8("kept-value-1234"));
        var p = policy("credential: {kind: header, header: X-Api-Key, value: store:acme/key}");
        store.remove("acme/key");
        assertThat(broker.refreshSecrets()).isTrue();
        assertThat(broker.lastReloadError()).contains("store:acme/key").doesNotContain("kept-value-1234");
        assertThat(p.credential().attach(new RequestTarget("GET", "http", "x", "/")).join().headerValue(0)).isEqualTo("kept-value-1234");
    }

    @Test
    void fileSecretsAreReadUpToTheLimitAndRefusedBeyondIt() throws Exception {
        Path ok = dir.resolve("ok.key");
        java.nio.file.Files.write(ok, "k".repeat(SecretResolver.MAX_FILE_SECRET_BYTES).getBytes());
        Path big = dir.resolve("big.key");
        java.nio.file.Files.write(big, "k".repeat(SecretResolver.MAX_FILE_SECRET_BYTES + 1).getBytes());
        var r = new SecretResolver(Map.of(), store);
        assertThat(r.resolve(io.portcullis.core.secret.SecretRef.of("file:" + ok)).length()).isEqualTo(SecretResolver.MAX_FILE_SECRET_BYTES);
        assertThatThrownBy(() -> r.resolve(io.portcullis.core.secret.SecretRef.of("file:" + big))).hasMessageContaining("larger than");
    }

    @Test
    void aCredentialPastItsMaxAgeEmitsOneEventPerDay() {
        store.put("acme/key", SecretValue.ofUtf8("old-key-123456"));
        policy("credential: {kind: header, header: X-Api-Key, value: store:acme/key, maxAge: 30d}");
        broker.checkAges();
        assertThat(events).isEmpty();
        clock.advance(Duration.ofDays(31));
        broker.checkAges();
        broker.checkAges();
        clock.advance(Duration.ofHours(23));
        broker.checkAges();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.api()).isEqualTo("acme/api");
            assertThat(e.reference()).isEqualTo("store:acme/key");
            assertThat(e.age()).isEqualTo(Duration.ofDays(31));
            assertThat(e.toString()).doesNotContain("old-key-123456");
        });
        clock.advance(Duration.ofHours(1));
        broker.checkAges();
        assertThat(events).hasSize(2);
        store.rotate("acme/key", SecretValue.ofUtf8("new-key-654321"), Duration.ofDays(1));
        assertThat(broker.refreshSecrets()).isTrue();
        clock.advance(Duration.ofDays(2));
        broker.checkAges();
        assertThat(events).as("the rotated credential is young again").hasSize(2);
        assertThat(broker.ages()).singleElement().satisfies(a -> {
            assertThat(a.tooOld()).isFalse();
            assertThat(a.age()).isEqualTo(Duration.ofDays(2));
        });
    }

    @Test
    void theStripRulesRemoveOnlyTheNamedQueryParameters() {
        var rules = StripRules.of(List.of("X-Key"), List.of("api_key", "token"), false);
        assertThat(rules.stripQuery("a=1&api_key=x&b=2&token=y")).isEqualTo("a=1&b=2");
        assertThat(rules.stripQuery("api%5Fkey=x&c=3")).isEqualTo("c=3");
        assertThat(rules.stripQuery("api_key=x")).isNull();
        assertThat(rules.stripQuery("api_key=1&&b=2&")).isEqualTo("b=2");
        assertThat(rules.stripQuery("%zz=1&token")).as("undecodable names are compared raw; a bare name is a parameter").isEqualTo("%zz=1");
        assertThat(rules.stripQuery("")).isEmpty();
        String same = "a=1&b=2";
        assertThat(rules.stripQuery(same)).isSameAs(same);
        assertThat(rules.stripsHeader("x-key")).isTrue();
        assertThat(rules.stripsHeader("Authorization")).isTrue();
        assertThat(StripRules.of(List.of(), List.of("api_key"), true).stripQuery("api_key=x")).isEqualTo("api_key=x");
        assertThat(Set.of(rules.headers().toArray())).contains("authorization", "dpop", "x-key");
    }
}
