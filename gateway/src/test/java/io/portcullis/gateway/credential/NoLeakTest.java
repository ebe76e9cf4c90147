package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.portcullis.core.config.ConfigNode;
import io.portcullis.core.config.ConfigProblem;
import io.portcullis.core.config.ConfigProblems;
import io.portcullis.core.config.CredentialSpec;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.core.secret.SecretValue;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs every credential scenario (static keys, each OAuth client auth method, DPoP, outage, 401 retry, bad
 * secrets, bad config, wrong master key), captures everything that could carry a value outward — every log
 * event at any level, stdout/stderr, problem responses, exception messages, audit decisions and attributes,
 * config problems, toString of every credential object — and searches it for every secret and token used.
 */
class NoLeakTest {
    @TempDir
    Path dir;

    final List<String> secrets = new ArrayList<>();
    final StringBuilder haystack = new StringBuilder();

    void capture(Object o) {
        if (o == null) return;
        if (o instanceof Throwable t) {
            haystack.append(t).append('\n');
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) haystack.append(c).append('\n');
            return;
        }
        haystack.append(o).append('\n');
    }

    void capture(PolicyDriver.Result r) {
        capture(r.body());
        if (r.problem() != null) {
            capture(new String(r.problem().toJson("x"), StandardCharsets.UTF_8));
            capture(r.problem().headers());
        }
        var x = r.exchange();
        capture(x.decisions());
        capture(x.attributes());
        capture(x.authScheme());
        capture(x.findings());
    }

    @Test
    void noSecretOrTokenAppearsInAnyOutput() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.portcullis");
        Level oldLevel = ours.getLevel();
        ours.setLevel(Level.TRACE);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        root.addAppender(appender);
        var stdout = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(tee(oldOut, stdout), true));
        System.setErr(new PrintStream(tee(oldErr, stdout), true));
        var auth = new AuthServer();
        var api = new ResourceServer();
        api.auth = auth;
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        try {
            runScenarios(auth, api, store);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            root.detachAppender(appender);
            ours.setLevel(oldLevel);
            api.close();
            auth.close();
        }
        for (ILoggingEvent e : appender.list) {
            if (!e.getLoggerName().startsWith("io.portcullis")) continue; // peers' own logs (the mock AS) are not ours
            haystack.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) haystack.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
        }
        haystack.append(stdout.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.contains("no.nav.") && !l.contains("okhttp3.") && !l.contains("MockWebServer")).reduce("", (a, b) -> a + b + "\n"));
        secrets.addAll(auth.issuedTokens);
        assertThat(auth.issuedTokens).hasSizeGreaterThanOrEqualTo(5);
        assertThat(secrets).allSatisfy(s -> assertThat(s.length()).isGreaterThanOrEqualTo(8));

        String text = haystack.toString();
        assertThat(text.length()).as("something was captured").isGreaterThan(1000);
        // positive control: the search finds a secret when one is present
        assertThat(hits(text + secrets.get(0))).containsExactly(secrets.get(0));
        assertThat(hits(text)).as("secrets or tokens found in outputs").isEmpty();
    }

    private List<String> hits(String text) {
        return secrets.stream().filter(text::contains).toList();
    }

    private void runScenarios(AuthServer auth, ResourceServer api, SecretStore store) throws Exception {
        String headerKey = "hk_live_" + rnd();
        String basicPw = "bpw_" + rnd();
        String clientSecret = "cs_" + rnd();
        String envToken = "et_" + rnd();
        RSAKey jwtKey = new RSAKeyGenerator(2048).generate();
        secrets.addAll(List.of(headerKey, basicPw, clientSecret, envToken, jwtKey.getPrivateExponent().toString(),
                Base64.getEncoder().encodeToString(("svc:" + basicPw).getBytes())));
        store.put("acme/key", SecretValue.ofUtf8(headerKey));
        store.put("acme/pw", SecretValue.ofUtf8(basicPw));
        store.put("vendor/jwt-key", SecretValue.ofUtf8(jwtKey.toJSONString()));
        var resolver = new SecretResolver(Map.of("CS", clientSecret, "ET", envToken), store);
        auth.clientSecret = clientSecret;
        auth.clientKey = jwtKey.toPublicJWK();
        var clock = new MutableClock();
        try (var broker = new CredentialBroker(resolver, clock, this::capture, null)) {
            var d = new PolicyDriver(api.base());
            // static kinds
            api.headerName = "X-Api-Key";
            api.acceptHeader = headerKey::equals;
            var p = policy(broker, api, "s1", "credential: {kind: header, header: X-Api-Key, value: store:acme/key, maxAge: 1d}");
            capture(d.send(p, "GET", "/x", "api_key=1", Map.of("Authorization", "Bearer app")));
            api.acceptHeader = v -> false;
            capture(d.get(p, "/denied"));
            api.headerName = "Authorization";
            capture(d.get(policy(broker, api, "s2", "credential: {kind: basic, username: svc, password: store:acme/pw}"), "/x"));
            capture(d.get(policy(broker, api, "s3", "credential: {kind: bearer, token: env:ET}"), "/x"));
            api.acceptHeader = null;
            // OAuth client auth methods, success and failure
            for (String a : List.of("client-secret-basic", "client-secret-post")) {
                var op = policy(broker, api, "o-" + a, oauth(auth, a, "clientSecret: env:CS"));
                capture(d.get(op, "/x"));
                api.revoked.add(auth.issuedTokens.get(auth.issuedTokens.size() - 1));
                capture(d.get(op, "/x")); // 401 invalid_token -> refetch -> retry
            }
            auth.expectedAssertionAudience = auth.issuer();
            capture(d.get(policy(broker, api, "o-jwt", oauth(auth, "private-key-jwt", "privateKey: store:vendor/jwt-key\nissuer: " + auth.issuer())), "/x"));
            auth.clientSecret = "different";
            capture(d.get(policy(broker, api, "o-bad", oauth(auth, "client-secret-post", "clientSecret: env:CS\nscopes: [other]")), "/x"));
            auth.clientSecret = clientSecret;
            // outage
            auth.down = true;
            var outage = policy(broker, api, "o-down", oauth(auth, "client-secret-basic", "clientSecret: env:CS\nscopes: [down]"));
            for (int i = 0; i < 3; i++) capture(d.get(outage, "/x"));
            auth.down = false;
            // DPoP with nonces at both servers
            auth.dpop = true;
            auth.dpopNonce = "n1-" + rnd();
            api.dpopNonce = "n2-" + rnd();
            var dp = policy(broker, api, "o-dpop", oauth(auth, "client-secret-basic", "clientSecret: env:CS\ndpop: true"));
            capture(d.get(dp, "/x"));
            capture(d.get(dp, "/y"));
            secrets.add(com.nimbusds.jose.jwk.JWK.parse(store.read().get("dpop/o-dpop").orElseThrow().primaryValue().utf8()).toECKey().getD().toString());
            auth.dpop = false;
            // rotation and age events
            store.rotate("acme/key", SecretValue.ofUtf8(headerKey + "-v2"), Duration.ofMinutes(1));
            secrets.add(headerKey + "-v2");
            broker.refreshSecrets();
            clock.advance(Duration.ofDays(3));
            broker.checkAges();
            // every object's toString
            for (String api_ : List.of("s1", "s2", "s3", "o-client-secret-basic", "o-jwt", "o-dpop")) {
                var c = broker.credential(api_).orElseThrow();
                capture(c);
                var att = c.attach(new RequestTarget("GET", "http", "127.0.0.1", "/z")).handle((a, e) -> a != null ? a : e).get(60, TimeUnit.SECONDS);
                capture(att);
                if (att instanceof Attachment at && at.token != null) capture(at.token);
                capture(c.clientTls());
                capture(c.strip());
            }
            capture(resolver.resolve(io.portcullis.core.secret.SecretRef.of("store:acme/pw")));
            // failures at registration and resolution
            try {
                broker.register("bad", Specs.read("credential: {kind: bearer, token: store:acme/missing}"));
            } catch (RuntimeException e) {
                capture(e);
            }
            capture(broker.lastReloadError());
        }
        // configuration with an inline secret, and a wrong master key
        var problems = new ConfigProblems("portcullis.yaml");
        var root = ConfigNode.parse("credential: {kind: header, header: X-Api-Key, value: " + headerKey + "}", problems);
        CredentialSpec.read(root.mapping("credential"));
        problems.list().stream().map(ConfigProblem::render).forEach(this::capture);
        try {
            new SecretStore(store.file(), MasterKey.generate()).read();
        } catch (RuntimeException e) {
            capture(e);
        }
        capture(MasterKey.generate());
    }

    private static CredentialPolicy policy(CredentialBroker broker, ResourceServer api, String name, String yaml) {
        return new CredentialPolicy(broker.register(name, Specs.read(yaml)), api.base());
    }

    private static String oauth(AuthServer auth, String method, String extra) {
        return """
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: %s
                  allowInsecureHttp: true
                  clientId: portcullis
                  auth: %s
                %s
                """.formatted(auth.tokenUrl(), method, extra.indent(2));
    }

    private static String rnd() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) throws java.io.IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }
}
