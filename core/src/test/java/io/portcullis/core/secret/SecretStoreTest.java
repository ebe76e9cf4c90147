package io.portcullis.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    @TempDir
    Path dir;

    private static final String VALUE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    @Test
    void putThenReadReturnsTheSameBytesAndTheFileHoldsNoPlaintext() throws Exception {
        var key = MasterKey.generate();
        var store = new SecretStore(dir.resolve("secrets.pcs"), key);
        store.put("stripe/api-key", SecretValue.ofUtf8(VALUE));

        var reread = new SecretStore(dir.resolve("secrets.pcs"), key).read();
        assertThat(reread.get("stripe/api-key").orElseThrow().primaryValue().utf8()).isEqualTo(VALUE);
        byte[] raw = Files.readAllBytes(dir.resolve("secrets.pcs"));
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(VALUE).doesNotContain("stripe");
    }

    @Test
    void storeFileIsCreatedWithMode0600() throws Exception {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("a/b", SecretValue.ofUtf8("x"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s.pcs")))).isEqualTo("rw-------");
        store.rotate("a/b", SecretValue.ofUtf8("y"), Duration.ZERO);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s.pcs")))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void wrongMasterKeyIsAClearErrorDistinctFromTampering() {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("a/b", SecretValue.ofUtf8(VALUE));
        assertThatThrownBy(() -> new SecretStore(dir.resolve("s.pcs"), MasterKey.generate()).read())
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("master key does not match")
                .hasMessageNotContaining(VALUE);
    }

    @Test
    void everyFlippedByteOfTheFileIsDetected() throws Exception {
        var key = MasterKey.generate();
        Path f = dir.resolve("s.pcs");
        new SecretStore(f, key).put("a/b", SecretValue.ofUtf8(VALUE));
        byte[] good = Files.readAllBytes(f);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(f, bad);
            assertThatThrownBy(() -> new SecretStore(f, key).read()).as("byte %d", i).isInstanceOf(SecretStoreException.class)
                    .hasMessageNotContaining(VALUE);
        }
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> new SecretStore(f, key).read()).hasMessageContaining("modified or corrupted");
        Files.write(f, good);
        assertThat(new SecretStore(f, key).read().get("a/b")).isPresent();
    }

    @Test
    void rotateAddsAVersionMakesItPrimaryAndKeepsThePreviousForTheOverlapWindow() {
        var now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now.get(); }
        };
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate(), clock);
        store.put("acme/key", SecretValue.ofUtf8("v1"));
        now.set(now.get().plus(Duration.ofDays(10)));
        assertThat(store.rotate("acme/key", SecretValue.ofUtf8("v2"), Duration.ofHours(24))).isEqualTo(2);
        var e = store.read().get("acme/key").orElseThrow();
        assertThat(e.primary()).isEqualTo(2);
        assertThat(e.primaryValue().utf8()).isEqualTo("v2");
        assertThat(e.validAt(now.get()).stream().map(SecretStore.Version::number)).containsExactly(1, 2);
        assertThat(e.validAt(now.get().plus(Duration.ofHours(25))).stream().map(SecretStore.Version::number)).containsExactly(2);
        now.set(now.get().plus(Duration.ofDays(2)));
        store.rotate("acme/key", SecretValue.ofUtf8("v3"), Duration.ZERO);
        // v1's window ended before this write: pruned; v2 retired now (zero overlap) but kept until the next write
        assertThat(store.read().get("acme/key").orElseThrow().versions().stream().map(SecretStore.Version::number)).containsExactly(2, 3);
    }

    @Test
    void putRefusesAnExistingEntryAndRotateRefusesAMissingOne() {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("a/b", SecretValue.ofUtf8("x"));
        assertThatThrownBy(() -> store.put("a/b", SecretValue.ofUtf8("y"))).hasMessageContaining("use 'secrets rotate'");
        assertThatThrownBy(() -> store.rotate("a/c", SecretValue.ofUtf8("y"), Duration.ZERO)).hasMessageContaining("secrets put");
        assertThatThrownBy(() -> store.put("NoSlash", SecretValue.ofUtf8("y"))).hasMessageContaining("name/key");
        assertThatThrownBy(() -> store.put("a/e", SecretValue.ofUtf8(""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> store.put("a/f", SecretValue.of(new byte[SecretStore.MAX_VALUE_BYTES + 1]))).hasMessageContaining("at most");
        store.put("a/g", SecretValue.of(new byte[SecretStore.MAX_VALUE_BYTES]));
        assertThat(store.remove("a/b")).isTrue();
        assertThat(store.remove("a/b")).isFalse();
    }

    @Test
    void rotationUnderConcurrentReadsNeverFailsAReader() throws Exception {
        var key = MasterKey.generate();
        Path f = dir.resolve("s.pcs");
        var store = new SecretStore(f, key);
        store.put("acme/key", SecretValue.ofUtf8("value-0"));
        var stop = new AtomicBoolean();
        var failures = new AtomicInteger();
        var reads = new AtomicInteger();
        var readers = new ArrayList<Thread>();
        for (int i = 0; i < 4; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                var r = new SecretStore(f, key);
                while (!stop.get()) {
                    try {
                        String v = r.read().get("acme/key").orElseThrow().primaryValue().utf8();
                        if (!v.startsWith("value-")) failures.incrementAndGet();
                        reads.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (int i = 1; i <= 60; i++) store.rotate("acme/key", SecretValue.ofUtf8("value-" + i), Duration.ofMinutes(1));
        stop.set(true);
        for (Thread t : readers) t.join();
        assertThat(failures.get()).isZero();
        assertThat(reads.get()).isPositive();
        assertThat(store.read().get("acme/key").orElseThrow().primaryValue().utf8()).isEqualTo("value-60");
    }

    @Test
    void concurrentWritersLoseNoUpdate() throws Exception {
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().start(() -> store.put("t/k" + n, SecretValue.ofUtf8("v" + n))));
        }
        for (Thread t : threads) t.join();
        assertThat(store.read().entries()).hasSize(8);
    }

    @Test
    void masterKeyComesFromEnvironmentOrKeyFileWithClearErrors() throws Exception {
        var k = MasterKey.generate();
        var f = dir.resolve("master.key");
        Files.writeString(f, k.toBase64() + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        var store = new SecretStore(dir.resolve("s.pcs"), k);
        store.put("a/b", SecretValue.ofUtf8("x"));
        assertThat(new SecretStore(dir.resolve("s.pcs"), MasterKey.fromEnvironment(Map.of(MasterKey.ENV_FILE, f.toString()))).read().entries()).hasSize(1);
        assertThat(new SecretStore(dir.resolve("s.pcs"), MasterKey.fromEnvironment(Map.of(MasterKey.ENV, k.toBase64()))).read().entries()).hasSize(1);
        assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of())).hasMessageContaining(MasterKey.ENV).hasMessageContaining(MasterKey.ENV_FILE);
        assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of(MasterKey.ENV, "not base64 !!"))).hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not base64 !!");
        assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of(MasterKey.ENV, "AAAA"))).hasMessageContaining("32 bytes");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKey.fromFile(f)).hasMessageContaining("chmod 600");
        assertThat(k.toString()).doesNotContain(k.toBase64());
    }

    @Test
    void secretValueNeverShowsItsBytes() {
        var v = SecretValue.ofUtf8(VALUE);
        assertThat(v.toString()).doesNotContain(VALUE).contains("redacted");
        assertThat(List.of(v).toString()).doesNotContain(VALUE);
        assertThat(v).isEqualTo(SecretValue.ofUtf8(VALUE)).isNotEqualTo(SecretValue.ofUtf8("other"));
    }
}
