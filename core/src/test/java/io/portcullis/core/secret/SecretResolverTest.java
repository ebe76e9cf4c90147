package io.portcullis.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    @TempDir
    Path dir;

    @Test
    void resolvesEnvFileAndStoreReferences() throws Exception {
        var key = MasterKey.generate();
        var store = new SecretStore(dir.resolve("s.pcs"), key);
        store.put("acme/key", SecretValue.ofUtf8("from-store"));
        Files.writeString(dir.resolve("k.txt"), "from-file\n");
        var r = new SecretResolver(Map.of("ACME_TOKEN", "from-env"), store);
        assertThat(r.resolve(SecretRef.of("env:ACME_TOKEN")).utf8()).isEqualTo("from-env");
        assertThat(r.resolve(SecretRef.of("file:" + dir.resolve("k.txt"))).utf8()).isEqualTo("from-file");
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).isEqualTo("from-store");
    }

    @Test
    void failuresNameTheReferenceAndTheReason() {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("acme/key", SecretValue.ofUtf8("v"));
        var r = new SecretResolver(Map.of(), store);
        assertThatThrownBy(() -> r.resolve(SecretRef.of("env:NOPE"))).hasMessage("secret env:NOPE could not be resolved: environment variable NOPE is not set");
        assertThatThrownBy(() -> r.resolve(SecretRef.of("file:/nonexistent/x"))).hasMessageContaining("file:/nonexistent/x").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> r.resolve(SecretRef.of("store:acme/other"))).hasMessageContaining("store:acme/other").hasMessageContaining("secrets put acme/other");
        var wrongKey = new SecretResolver(Map.of(), new SecretStore(dir.resolve("s.pcs"), MasterKey.generate()));
        assertThatThrownBy(() -> wrongKey.resolve(SecretRef.of("store:acme/key"))).hasMessageContaining("store:acme/key").hasMessageContaining("master key does not match");
    }

    @Test
    void anInlineSecretIsNotEchoedWhenRejectedAsAReference() {
        assertThatThrownBy(() -> SecretRef.of("sk_live_abcdef123")).hasMessageNotContaining("sk_live").hasMessageContaining("reference");
        assertThatThrownBy(() -> SecretRef.of("store:NoSlash")).hasMessageContaining("not a valid store reference");
        assertThatThrownBy(() -> SecretRef.of("env:1BAD")).hasMessageContaining("environment variable");
    }

    @Test
    void refreshSeesARotationAndNotifiesListeners() {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("acme/key", SecretValue.ofUtf8("v1"));
        var r = new SecretResolver(Map.of(), store);
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        r.onChange(calls::incrementAndGet);
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).isEqualTo("v1");
        assertThat(r.refresh()).isFalse();
        store.rotate("acme/key", SecretValue.ofUtf8("v2"), Duration.ofMinutes(5));
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).as("snapshot until refresh").isEqualTo("v1");
        assertThat(r.refresh()).isTrue();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).isEqualTo("v2");
    }

    @Test
    void aCorruptedStoreAfterAGoodOneKeepsTheLastGoodSnapshot() throws Exception {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("acme/key", SecretValue.ofUtf8("v1"));
        var r = new SecretResolver(Map.of(), store);
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).isEqualTo("v1");
        Files.write(dir.resolve("s.pcs"), new byte[] {'P', 'C', 'S', '1', 0, 0});
        assertThat(r.refresh()).isFalse();
        assertThat(r.resolve(SecretRef.of("store:acme/key")).utf8()).isEqualTo("v1");
        assertThat(r.lastRefreshError()).contains("not a Portcullis secret store or is truncated");
    }
}
