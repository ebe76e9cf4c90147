package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SecretsCommandTest {
    static final String VALUE = "sk_live_51HxQ2bC3dE4fG5hI6jK7lM8";

    @TempDir
    Path dir;
    final MasterKey key = MasterKey.generate();

    record Run(int code, String out, String err) {
    }

    Run run(String stdin, Clock clock, String... args) {
        var env = Map.of(MasterKey.ENV, key.toBase64(), SecretsCommand.ENV_STORE, dir.resolve("secrets.pcs").toString());
        return runWith(env, stdin, clock, args);
    }

    Run runWith(Map<String, String> env, String stdin, Clock clock, String... args) {
        var cl = new CommandLine(new SecretsCommand(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false, clock));
        var out = new StringWriter();
        var err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void putReadsStdinAndListShowsNamesVersionsAndAgesButNeverValues() throws Exception {
        var t0 = Instant.parse("2026-03-01T00:00:00Z");
        var put = run(VALUE + "\n", Clock.fixed(t0, ZoneOffset.UTC), "put", "stripe/api-key");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("store:stripe/api-key").doesNotContain(VALUE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.pcs")))).isEqualTo("rw-------");
        assertThat(new SecretStore(dir.resolve("secrets.pcs"), key).read().get("stripe/api-key").orElseThrow().primaryValue().utf8()).isEqualTo(VALUE);

        var rot = run("sk_live_second_value_9876\n", Clock.fixed(t0.plus(Duration.ofDays(40)), ZoneOffset.UTC), "rotate", "stripe/api-key", "--overlap", "2h");
        assertThat(rot.code()).as(rot.err()).isZero();
        assertThat(rot.out()).contains("version 2 is primary").contains("2h");

        var list = run("", Clock.fixed(t0.plus(Duration.ofDays(43)), ZoneOffset.UTC), "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("stripe/api-key").contains("v2").contains("3d").doesNotContain(VALUE).doesNotContain("second_value");

        var rm = run("", Clock.systemUTC(), "remove", "stripe/api-key");
        assertThat(rm.code()).isZero();
        assertThat(run("", Clock.systemUTC(), "list").out()).contains("no entries");
    }

    @Test
    void aValueCannotBeGivenOnTheCommandLine() {
        var r = run("", Clock.systemUTC(), "put", "stripe/api-key", VALUE);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("stdin").doesNotContain(VALUE);
        assertThat(r.out()).doesNotContain(VALUE);
        assertThat(dir.resolve("secrets.pcs")).doesNotExist();
        assertThat(run("", Clock.systemUTC(), "put", "stripe/api-key").err()).contains("no value on stdin");
    }

    @Test
    void errorsAreOneClearLineWithoutStackTraces() {
        run(VALUE, Clock.systemUTC(), "put", "a/b");
        var wrongKey = runWith(Map.of(MasterKey.ENV, MasterKey.generate().toBase64(), SecretsCommand.ENV_STORE, dir.resolve("secrets.pcs").toString()),
                "", Clock.systemUTC(), "list");
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("master key does not match").doesNotContain("Exception").doesNotContain("\tat ");
        var noStore = runWith(Map.of(MasterKey.ENV, key.toBase64()), "", Clock.systemUTC(), "list");
        assertThat(noStore.err()).contains("--store").contains(SecretsCommand.ENV_STORE);
        var noKey = runWith(Map.of(SecretsCommand.ENV_STORE, dir.resolve("secrets.pcs").toString()), "", Clock.systemUTC(), "list");
        assertThat(noKey.err()).contains(MasterKey.ENV).contains("secrets keygen");
        assertThat(run(VALUE, Clock.systemUTC(), "put", "a/b").err()).contains("already exists").doesNotContain(VALUE);
        assertThat(run("", Clock.systemUTC(), "rotate", "a/b", "--overlap", "forever").err()).contains("--overlap");
        assertThat(run("x", Clock.systemUTC(), "put", "Bad Name").err()).contains("name/key");
    }

    @Test
    void keygenWritesAUsableKeyFileWithMode0600AndNeverOverwrites() throws Exception {
        Path kf = dir.resolve("master.key");
        var r = runWith(Map.of(), "", Clock.systemUTC(), "keygen", "--out", kf.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kf))).isEqualTo("rw-------");
        var put = runWith(Map.of(MasterKey.ENV_FILE, kf.toString()), VALUE, Clock.systemUTC(), "--store", dir.resolve("k.pcs").toString(), "put", "x/y");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(runWith(Map.of(), "", Clock.systemUTC(), "keygen", "--out", kf.toString()).err()).contains("refusing to overwrite");
    }

    @Test
    void mainRegistersTheSecretsCommand() {
        assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("secrets");
    }
}
