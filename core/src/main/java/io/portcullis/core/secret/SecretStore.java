package io.portcullis.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The built-in encrypted secret store: one file, AES-256-GCM under a {@link MasterKey}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Confidential and tamper-evident</b>: the whole content (names, versions, dates, values) is one
 *       GCM ciphertext with a fresh 96-bit nonce per write; the header (magic, key id) is authenticated as
 *       associated data. A wrong master key and a modified file are reported as different, clear errors.</li>
 *   <li><b>Atomic</b>: a write goes to a temporary file in the same directory (mode 0600 from creation), is
 *       forced to disk, then renamed over the store; a reader sees the old or the new file, never a mix.</li>
 *   <li><b>Serialized writers</b>: writers take an in-process lock and an OS file lock on {@code <file>.lock},
 *       so concurrent CLI invocations and a running gateway do not lose each other's updates.</li>
 *   <li><b>Versioned</b>: {@link #rotate} adds a version and makes it primary; the previous primary stays
 *       readable until its overlap window ends and is pruned on a later write.</li>
 * </ul>
 * File layout: {@code "PCS1"} | key id (8) | nonce (12) | ciphertext+tag of a JSON document.
 */
public final class SecretStore {
    private static final byte[] MAGIC = "PCS1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 8 + 12;
    /** Largest store file accepted (bytes). */
    public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    /** Largest single secret value accepted (bytes). */
    public static final int MAX_VALUE_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReentrantLock WRITE_LOCK = new ReentrantLock();

    private final Path file;
    private final MasterKey key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SecretStore(Path file, MasterKey key, Clock clock) {
        this.file = file.toAbsolutePath();
        this.key = key;
        this.clock = clock;
    }

    public SecretStore(Path file, MasterKey key) {
        this(file, key, Clock.systemUTC());
    }

    public Path file() {
        return file;
    }

    /** One version of an entry; {@code retireAt} is set once a newer version became primary. */
    public record Version(int number, Instant created, SecretValue value, Instant retireAt) {
    }

    /** A named entry with its versions (oldest first) and the number of the primary version. */
    public record Entry(String name, int primary, List<Version> versions) {
        public Version primaryVersion() {
            for (Version v : versions) if (v.number == primary) return v;
            throw new IllegalStateException("entry " + name + " has no primary version");
        }

        public SecretValue primaryValue() {
            return primaryVersion().value();
        }

        /** Versions still valid at {@code now}: the primary and any previous one inside its overlap window. */
        public List<Version> validAt(Instant now) {
            return versions.stream().filter(v -> v.retireAt == null || v.retireAt.isAfter(now)).toList();
        }
    }

    /** An immutable view of the whole store at one moment. */
    public record Snapshot(Map<String, Entry> entries) {
        public Optional<Entry> get(String name) {
            return Optional.ofNullable(entries.get(name));
        }
    }

    /** Reads and decrypts the store; a missing file is an empty store. */
    public Snapshot read() {
        byte[] raw;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new SecretStoreException("secret store " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Snapshot(Map.of());
        } catch (IOException e) {
            throw new SecretStoreException("cannot read secret store " + file + ": " + e.getClass().getSimpleName());
        }
        return decode(raw);
    }

    /** True when the store file exists. */
    public boolean exists() {
        return Files.exists(file);
    }

    private Snapshot decode(byte[] raw) {
        if (raw.length < HEADER + 16 || !Arrays.equals(raw, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SecretStoreException("secret store " + file + " is not a Portcullis secret store or is truncated");
        }
        byte[] keyId = Arrays.copyOfRange(raw, MAGIC.length, MAGIC.length + 8);
        if (!Arrays.equals(keyId, key.keyId())) {
            throw new SecretStoreException("the master key does not match secret store " + file
                    + " (it was written with a different key); check " + MasterKey.ENV + " / " + MasterKey.ENV_FILE);
        }
        byte[] plain;
        try {
            var c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(128, raw, MAGIC.length + 8, 12));
            c.updateAAD(raw, 0, MAGIC.length + 8);
            plain = c.doFinal(raw, HEADER, raw.length - HEADER);
        } catch (AEADBadTagException e) {
            throw new SecretStoreException("secret store " + file + " failed authentication: it was modified or corrupted");
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("secret store " + file + " could not be decrypted: " + e.getClass().getSimpleName());
        }
        try {
            return parse(JSON.readTree(plain));
        } catch (IOException | RuntimeException e) {
            throw new SecretStoreException("secret store " + file + " has an unreadable structure");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static Snapshot parse(JsonNode root) {
        var out = new TreeMap<String, Entry>();
        for (JsonNode e : root.path("entries")) {
            var versions = new ArrayList<Version>();
            for (JsonNode v : e.path("versions")) {
                versions.add(new Version(v.get("v").asInt(), Instant.parse(v.get("created").asText()),
                        SecretValue.of(Base64.getDecoder().decode(v.get("value").asText())),
                        v.hasNonNull("retireAt") ? Instant.parse(v.get("retireAt").asText()) : null));
            }
            out.put(e.get("name").asText(), new Entry(e.get("name").asText(), e.get("primary").asInt(), List.copyOf(versions)));
        }
        return new Snapshot(java.util.Collections.unmodifiableMap(out));
    }

    private byte[] encode(Snapshot s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        ArrayNode entries = root.putArray("entries");
        for (Entry e : s.entries().values()) {
            ObjectNode en = entries.addObject();
            en.put("name", e.name());
            en.put("primary", e.primary());
            ArrayNode vs = en.putArray("versions");
            for (Version v : e.versions()) {
                ObjectNode vn = vs.addObject();
                vn.put("v", v.number());
                vn.put("created", v.created().toString());
                if (v.retireAt() != null) vn.put("retireAt", v.retireAt().toString());
                vn.put("value", Base64.getEncoder().encodeToString(v.value().bytes()));
            }
        }
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new SecretStoreException("cannot serialize secret store");
        }
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            byte[] header = new byte[HEADER];
            System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
            System.arraycopy(key.keyId(), 0, header, MAGIC.length, 8);
            System.arraycopy(nonce, 0, header, MAGIC.length + 8, 12);
            var c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(128, nonce));
            c.updateAAD(header, 0, MAGIC.length + 8);
            byte[] ct = c.doFinal(plain);
            byte[] out = Arrays.copyOf(header, HEADER + ct.length);
            System.arraycopy(ct, 0, out, HEADER, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("cannot encrypt secret store: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Adds a new entry (version 1). Fails if it exists: use {@link #rotate}. */
    public void put(String name, SecretValue value) {
        checkName(name);
        checkValue(value);
        update(s -> {
            if (s.containsKey(name)) throw new SecretStoreException("entry '" + name + "' already exists; use 'secrets rotate' to add a new version");
            s.put(name, new Entry(name, 1, List.of(new Version(1, clock.instant(), value, null))));
            return 1;
        });
    }

    /**
     * Adds a version and makes it primary. The previous primary stays valid for {@code overlap} (zero: retired
     * now); versions whose window has ended are pruned. Returns the new version number.
     */
    public int rotate(String name, SecretValue value, Duration overlap) {
        checkName(name);
        checkValue(value);
        return update(s -> {
            Entry e = s.get(name);
            if (e == null) throw new SecretStoreException("no entry '" + name + "' in the store; use 'secrets put' first");
            Instant now = clock.instant();
            var versions = new ArrayList<Version>();
            for (Version v : e.versions()) {
                if (v.number() == e.primary()) versions.add(new Version(v.number(), v.created(), v.value(), now.plus(overlap)));
                else if (v.retireAt() != null && v.retireAt().isAfter(now)) versions.add(v);
            }
            int next = e.versions().stream().mapToInt(Version::number).max().orElse(0) + 1;
            versions.add(new Version(next, now, value, null));
            s.put(name, new Entry(name, next, List.copyOf(versions)));
            return next;
        });
    }

    /** Removes an entry with all its versions; false if it did not exist. */
    public boolean remove(String name) {
        return update(s -> s.remove(name) != null);
    }

    /** The primary value of {@code name}, creating the entry from {@code generator} under the write lock if absent. */
    public SecretValue getOrCreate(String name, Supplier<SecretValue> generator) {
        checkName(name);
        var existing = read().get(name);
        if (existing.isPresent()) return existing.get().primaryValue();
        return update(s -> {
            Entry e = s.get(name);
            if (e != null) return e.primaryValue();
            SecretValue v = generator.get();
            s.put(name, new Entry(name, 1, List.of(new Version(1, clock.instant(), v, null))));
            return v;
        });
    }

    private interface Mutation<T> {
        T apply(Map<String, Entry> entries);
    }

    private <T> T update(Mutation<T> mutation) {
        WRITE_LOCK.lock();
        try {
            Path parent = file.getParent();
            Files.createDirectories(parent);
            Path lockFile = parent.resolve(file.getFileName() + ".lock");
            if (!Files.exists(lockFile)) {
                try {
                    Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException | UnsupportedOperationException ignored) {
                    // created concurrently, or not a POSIX file system: opened below either way
                }
            }
            try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lc.lock()) {
                var entries = new TreeMap<>(read().entries());
                T result = mutation.apply(entries);
                writeAtomically(encode(new Snapshot(entries)));
                return result;
            }
        } catch (IOException e) {
            throw new SecretStoreException("cannot write secret store " + file + ": " + e.getClass().getSimpleName());
        } finally {
            WRITE_LOCK.unlock();
        }
    }

    private void writeAtomically(byte[] bytes) throws IOException {
        Path parent = file.getParent();
        Path tmp = parent.resolve("." + file.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
        try {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("temporary file collision", e);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                var buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system does not support atomic rename", e);
            }
            try (FileChannel dir = FileChannel.open(parent, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // some file systems cannot fsync a directory; the rename itself is still atomic
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Entry names: {@code name/key}, lower-case name, as referenced by {@code store:name/key}. */
    public static void checkName(String name) {
        if (name == null || !SecretRef.STORE_ENTRY.matcher(name).matches()) {
            throw new SecretStoreException("entry names are written name/key (letters, digits, '.', '_', '-'; the name part lower-case), e.g. stripe/api-key");
        }
    }

    private static void checkValue(SecretValue v) {
        if (v.length() == 0) throw new SecretStoreException("refusing to store an empty secret");
        if (v.length() > MAX_VALUE_BYTES) throw new SecretStoreException("a secret may be at most " + MAX_VALUE_BYTES + " bytes");
    }

    /** Entries sorted by name, for listings. */
    public static List<Entry> sorted(Snapshot s) {
        return s.entries().values().stream().sorted(Comparator.comparing(Entry::name)).toList();
    }
}
