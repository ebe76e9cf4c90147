package io.portcullis.app;

import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.core.secret.SecretStoreException;
import io.portcullis.core.secret.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis secrets put|rotate|list|remove|keygen}: manages the encrypted secret store.
 *
 * <p>Values are read from standard input (or a no-echo prompt on a terminal), never from arguments, which
 * leak into shell history and {@code ps}. {@code list} shows names, versions and ages, never values.
 * The master key comes from {@code --key-file}, {@value MasterKey#ENV} or {@value MasterKey#ENV_FILE}.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Manage the encrypted secret store (values are read from stdin, never from arguments).",
        subcommands = {SecretsCommand.Put.class, SecretsCommand.Rotate.class, SecretsCommand.ListEntries.class,
                SecretsCommand.Remove.class, SecretsCommand.Keygen.class})
public final class SecretsCommand implements Runnable {
    public static final String ENV_STORE = "PORTCULLIS_SECRET_STORE";

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "FILE", description = "Secret store file (default: $" + ENV_STORE + ").")
    Path store;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Master key file (default: $" + MasterKey.ENV + " or $" + MasterKey.ENV_FILE + ").")
    Path keyFile;

    private final Map<String, String> env;
    private final InputStream in;
    private final boolean interactive;
    private final Clock clock;

    public SecretsCommand() {
        this(System.getenv(), System.in, System.console() != null, Clock.systemUTC());
    }

    /** For tests and embedding: the environment, standard input and clock to use. */
    public SecretsCommand(Map<String, String> env, InputStream in, boolean interactive, Clock clock) {
        this.env = env;
        this.in = in;
        this.interactive = interactive;
        this.clock = clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    SecretStore openStore() {
        Path f = store;
        if (f == null) {
            String e = env.get(ENV_STORE);
            if (e == null || e.isBlank()) throw new SecretStoreException("no secret store given: use --store FILE or set " + ENV_STORE);
            f = Path.of(e);
        }
        MasterKey key = keyFile != null ? MasterKey.fromFile(keyFile) : MasterKey.fromEnvironment(env);
        return new SecretStore(f, key, clock);
    }

    SecretValue readValue(String name, PrintWriter err) throws IOException {
        if (interactive && in == System.in) {
            Console c = System.console();
            if (c != null) {
                char[] chars = c.readPassword("value for %s (not echoed): ", name);
                if (chars == null) throw new SecretStoreException("no value entered");
                byte[] b = new String(chars).getBytes(StandardCharsets.UTF_8);
                Arrays.fill(chars, '\0');
                return SecretValue.of(b);
            }
        }
        var buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > SecretStore.MAX_VALUE_BYTES + 2) throw new SecretStoreException("the value on stdin is larger than " + SecretStore.MAX_VALUE_BYTES + " bytes");
        }
        byte[] b = buf.toByteArray();
        SecretValue v = SecretValue.of(b).trimTrailingNewline();
        Arrays.fill(b, (byte) 0);
        if (v.length() == 0) throw new SecretStoreException("no value on stdin; pipe it in, e.g. 'portcullis secrets put " + name + " < key.txt'");
        return v;
    }

    int fail(Exception e) {
        spec.commandLine().getErr().println("portcullis secrets: " + e.getMessage());
        return 1;
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            try {
                return run();
            } catch (SecretStoreException | IOException | IllegalArgumentException e) {
                return parent.fail(e);
            }
        }

        abstract int run() throws IOException;
    }

    @Command(name = "put", description = "Add a new entry (version 1) with the value from stdin.")
    static final class Put extends Sub {
        @Parameters(index = "0", paramLabel = "NAME", description = "Entry name, name/key (e.g. stripe/api-key).")
        String name;

        @Parameters(index = "1..*", hidden = true)
        java.util.List<String> extra;

        int run() throws IOException {
            refuseArgumentValue(extra);
            SecretStore.checkName(name);
            var s = parent.openStore();
            s.put(name, parent.readValue(name, err()));
            out().println("stored " + name + " (version 1) in " + s.file() + "; reference it as store:" + name);
            return 0;
        }
    }

    @Command(name = "rotate", description = "Add a new version from stdin and make it primary; the previous stays valid for --overlap.")
    static final class Rotate extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", hidden = true)
        java.util.List<String> extra;

        @Option(names = "--overlap", paramLabel = "DURATION", defaultValue = "24h",
                description = "How long the previous version stays valid (e.g. 0s, 30m, 24h, 7d; default ${DEFAULT-VALUE}).")
        String overlap;

        int run() throws IOException {
            refuseArgumentValue(extra);
            SecretStore.checkName(name);
            Duration d = duration(overlap);
            var s = parent.openStore();
            int v = s.rotate(name, parent.readValue(name, err()), d);
            out().println("rotated " + name + ": version " + v + " is primary; version " + (v - 1)
                    + (d.isZero() ? " is retired now" : " stays valid for " + overlap) + ". Running gateways pick it up within seconds.");
            return 0;
        }
    }

    @Command(name = "list", description = "List entries: names, versions and ages (never values).")
    static final class ListEntries extends Sub {
        int run() {
            var s = parent.openStore();
            var snap = s.read();
            Instant now = parent.clock.instant();
            out().printf("%-40s %-8s %-9s %-8s %s%n", "NAME", "PRIMARY", "VERSIONS", "AGE", "PREVIOUS VALID UNTIL");
            for (var e : SecretStore.sorted(snap)) {
                var p = e.primaryVersion();
                String prev = e.validAt(now).stream().filter(v -> v.number() != e.primary()).map(v -> "v" + v.number() + " until " + v.retireAt())
                        .reduce((a, b) -> a + ", " + b).orElse("-");
                out().printf("%-40s %-8s %-9d %-8s %s%n", e.name(), "v" + p.number(), e.versions().size(), age(Duration.between(p.created(), now)), prev);
            }
            if (snap.entries().isEmpty()) out().println("(no entries in " + s.file() + ")");
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove an entry and all its versions.")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        int run() {
            var s = parent.openStore();
            if (!s.remove(name)) {
                err().println("portcullis secrets: no entry '" + name + "' in " + s.file());
                return 1;
            }
            out().println("removed " + name);
            return 0;
        }
    }

    @Command(name = "keygen", description = "Write a new random 256-bit master key to a file (mode 0600).")
    static final class Keygen extends Sub {
        @Option(names = "--out", paramLabel = "FILE", required = true)
        Path out;

        int run() throws IOException {
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new SecretStoreException(out + " already exists; refusing to overwrite a master key");
            }
            Files.writeString(out, MasterKey.generate().toBase64() + "\n");
            out().println("wrote a new master key to " + out + "; set " + MasterKey.ENV_FILE + "=" + out.toAbsolutePath());
            return 0;
        }
    }

    /** A value given as an argument is refused without being echoed (it is already in shell history). */
    static void refuseArgumentValue(java.util.List<String> extra) {
        if (extra != null && !extra.isEmpty()) {
            throw new IllegalArgumentException("values are read from stdin, never from arguments; nothing was stored."
                    + " The extra argument may be in your shell history: treat that secret as exposed");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("--overlap must be a number with a unit: 0s, 30m, 24h or 7d");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static String age(Duration d) {
        if (d.toDays() >= 1) return d.toDays() + "d";
        if (d.toHours() >= 1) return d.toHours() + "h";
        if (d.toMinutes() >= 1) return d.toMinutes() + "m";
        return Math.max(0, d.toSeconds()) + "s";
    }

    /** For {@code CommandLine} construction with a custom factory in tests. */
    static CommandLine commandLine(SecretsCommand c) {
        return new CommandLine(c);
    }
}
