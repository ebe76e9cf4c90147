package io.portcullis.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretRef;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSpecTest {
    @TempDir
    Path dir;

    private record Read(CredentialSpec spec, List<ConfigProblem> problems) {
    }

    private static Read read(String yaml) {
        var problems = new ConfigProblems("portcullis.yaml");
        var root = ConfigNode.parse(yaml, problems);
        var spec = CredentialSpec.read(root.mapping("credential"));
        root.done();
        return new Read(spec, problems.list());
    }

    @Test
    void readsEachKind() {
        var h = read("credential: {kind: header, header: X-Api-Key, value: store:acme/key, maxAge: 90d}");
        assertThat(h.problems()).isEmpty();
        assertThat(h.spec()).isEqualTo(new CredentialSpec.HeaderKey("X-Api-Key", new SecretRef.Store("acme/key"),
                new CredentialSpec.Common(Duration.ofDays(90), false, List.of(), List.of(), 1, 13)));
        assertThat(read("credential: {kind: bearer, token: env:ACME}").spec()).isInstanceOf(CredentialSpec.Bearer.class);
        assertThat(read("credential: {kind: basic, username: svc, password: file:/run/secrets/pw}").spec())
                .isInstanceOf(CredentialSpec.Basic.class);
        var q = read("credential: {kind: query, param: api_key, value: store:acme/key, allowWeakQueryCredential: true}");
        assertThat(q.problems()).isEmpty();
        var cc = read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: https://auth.vendor.example/oauth2/token
                  clientId: portcullis
                  auth: private-key-jwt
                  privateKey: store:vendor/jwt-key
                  issuer: https://auth.vendor.example
                  scopes: [payments.read, payments.write]
                  dpop: true
                  strip: {headers: [X-Legacy-Key], query: [token]}
                """);
        assertThat(cc.problems()).isEmpty();
        var c = (CredentialSpec.ClientCredentials) cc.spec();
        assertThat(c.auth()).isEqualTo(CredentialSpec.ClientAuth.PRIVATE_KEY_JWT);
        assertThat(c.effectiveAssertionAudience()).isEqualTo("https://auth.vendor.example");
        assertThat(c.scopes()).containsExactly("payments.read", "payments.write");
        assertThat(c.dpop()).isTrue();
        assertThat(c.renewBefore()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.common().stripHeaders()).containsExactly("X-Legacy-Key");
    }

    @Test
    void anInlineSecretIsRejectedAtItsLocationWithoutBeingEchoed() {
        var r = read("""
                credential:
                  kind: header
                  header: X-Api-Key
                  value: sk_live_4eC39HqLyjWDarjtT1zdp7dc
                """);
        assertThat(r.problems()).hasSize(1);
        var p = r.problems().get(0);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.column()).isEqualTo(10);
        assertThat(p.render()).doesNotContain("sk_live").contains("reference").contains("secrets put");
    }

    @Test
    void queryCredentialNeedsExplicitOptIn() {
        var r = read("credential: {kind: query, param: api_key, value: store:acme/key}");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("weak");
            assertThat(p.fix()).contains("allowWeakQueryCredential: true");
        });
    }

    @Test
    void unknownKeysAndWrongAuthCombinationsAreReportedWithFixes() {
        var r = read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: https://auth.vendor.example/token
                  clientId: c
                  auth: client-secret-post
                  clientSecret: store:v/s
                  issuer: https://auth.vendor.example
                  scope: [a]
                """);
        assertThat(r.problems()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("'issuer' is not used with auth: client-secret-post"))
                .anySatisfy(m -> assertThat(m).contains("unknown key 'scope'"));
        assertThat(r.problems()).extracting(ConfigProblem::fix).anySatisfy(f -> assertThat(f).contains("did you mean 'scopes'"));
        var missing = read("credential: {kind: oauth2-client-credentials, tokenUrl: 'ftp://x', clientId: c, auth: private-key-jwt, privateKey: store:v/k}");
        assertThat(missing.problems()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("absolute http(s) URL"))
                .anySatisfy(m -> assertThat(m).contains("needs the assertion audience"));
        assertThat(read("credential: {kind: magic}").problems()).singleElement()
                .satisfies(p -> assertThat(p.fix()).contains("oauth2-client-credentials"));
    }

    @Test
    void aPlainHttpTokenUrlIsRefusedUnlessExplicitlyAllowed() {
        var r = read("credential: {kind: oauth2-client-credentials, tokenUrl: 'http://auth.example/token', clientId: c, clientSecret: env:S}");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("plain http");
            assertThat(p.fix()).contains("https://").contains("allowInsecureHttp: true");
        });
        assertThat(read("credential: {kind: oauth2-client-credentials, tokenUrl: 'http://127.0.0.1:8080/token', allowInsecureHttp: true, clientId: c, clientSecret: env:S}")
                .problems()).isEmpty();
    }

    @Test
    void checkSecretsReportsAMissingStoreEntryAtTheSectionNamingTheReference() {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        var r = read("credential:\n  kind: bearer\n  token: store:acme/missing\n");
        var problems = new ConfigProblems("portcullis.yaml");
        r.spec().checkSecrets(new SecretResolver(Map.of(), store), problems);
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.render()).startsWith("portcullis.yaml:2:3:").contains("store:acme/missing");
        });
    }
}
