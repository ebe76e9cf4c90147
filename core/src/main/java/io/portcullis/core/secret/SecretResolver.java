package io.portcullis.core.secret;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns {@link SecretRef}s into {@link SecretValue}s.
 *
 * <p>Guarantees: every failure is a {@link SecretResolutionException} naming the reference and the reason
 * (missing variable, missing file, no such store entry, wrong master key, tampered store), never the value.
 * The store is read once and kept as a snapshot; {@link #refresh()} re-reads it when the file changed (new
 * inode, size or modification time — a rotation renames a new file in) and notifies listeners, so holders of
 * resolved values can re-resolve without a restart. Reads of the current snapshot are lock-free.
 */
public final class SecretResolver {
    /** Largest {@code file:} secret read (bytes). */
    public static final int MAX_FILE_SECRET_BYTES = 256 * 1024;

    private final Map<String, String> env;
    private final SecretStore store; // may be null: no store configured
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile StoreState state;
    private volatile String lastRefreshError;

    private record StoreState(Object fileKey, long size, long modified, SecretStore.Snapshot snapshot, RuntimeException error) {
    }

    public SecretResolver(Map<String, String> env, SecretStore store) {
        this.env = Map.copyOf(env);
        this.store = store;
    }

    public Optional<SecretStore> store() {
        return Optional.ofNullable(store);
    }

    public SecretValue resolve(SecretRef ref) {
        return switch (ref) {
            case SecretRef.Env e -> {
                String v = env.get(e.name());
                if (v == null) throw new SecretResolutionException(ref, "environment variable " + e.name() + " is not set");
                if (v.isEmpty()) throw new SecretResolutionException(ref, "environment variable " + e.name() + " is empty");
                yield SecretValue.ofUtf8(v);
            }
            case SecretRef.File f -> readFile(f);
            case SecretRef.Store s -> storeEntry(s).primaryValue();
        };
    }

    /** The store entry behind a reference (versions, ages), for rotation and age tracking. */
    public SecretStore.Entry storeEntry(SecretRef.Store s) {
        if (store == null) throw new SecretResolutionException(s, "no secret store is configured (set secretStore: in the config or --store)");
        StoreState st = current();
        if (st.error != null) throw new SecretResolutionException(s, st.error.getMessage());
        return st.snapshot.get(s.entry()).orElseThrow(() -> new SecretResolutionException(s,
                "no entry '" + s.entry() + "' in " + store.file() + "; add it with 'portcullis secrets put " + s.entry() + "'"));
    }

    /** When the value behind a reference was created, when known (store versions and files). */
    public Optional<Instant> createdAt(SecretRef ref) {
        try {
            return switch (ref) {
                case SecretRef.Store s -> Optional.of(storeEntry(s).primaryVersion().created());
                case SecretRef.File f -> Optional.of(Files.getLastModifiedTime(Path.of(f.path())).toInstant());
                case SecretRef.Env e -> Optional.empty();
            };
        } catch (IOException | SecretResolutionException e) {
            return Optional.empty();
        }
    }

    private SecretValue readFile(SecretRef.File f) {
        Path p = Path.of(f.path());
        try {
            if (Files.size(p) > MAX_FILE_SECRET_BYTES) throw new SecretResolutionException(f, "file is larger than " + MAX_FILE_SECRET_BYTES + " bytes");
            byte[] b = Files.readAllBytes(p);
            SecretValue v = SecretValue.of(b).trimTrailingNewline();
            java.util.Arrays.fill(b, (byte) 0);
            if (v.length() == 0) throw new SecretResolutionException(f, "file is empty");
            return v;
        } catch (NoSuchFileException e) {
            throw new SecretResolutionException(f, "file does not exist");
        } catch (AccessDeniedException e) {
            throw new SecretResolutionException(f, "file is not readable by the gateway user");
        } catch (IOException e) {
            throw new SecretResolutionException(f, "file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private StoreState current() {
        StoreState st = state;
        if (st == null) {
            synchronized (this) {
                if (state == null) state = load();
                st = state;
            }
        }
        return st;
    }

    private StoreState load() {
        Object fk = null;
        long size = -1, mod = -1;
        try {
            var attrs = Files.readAttributes(store.file(), BasicFileAttributes.class);
            fk = attrs.fileKey();
            size = attrs.size();
            mod = attrs.lastModifiedTime().toMillis();
        } catch (IOException ignored) {
            // missing file: an empty store
        }
        try {
            return new StoreState(fk, size, mod, store.read(), null);
        } catch (SecretStoreException e) {
            return new StoreState(fk, size, mod, new SecretStore.Snapshot(Map.of()), e);
        }
    }

    /**
     * Re-reads the store if its file changed since the last read; notifies listeners and returns true if so.
     * A store that became unreadable keeps serving nothing new: the error is kept and reported on resolve,
     * except that the last good snapshot is kept when the new file fails (a half-finished edit never drops
     * credentials that were working).
     */
    public boolean refresh() {
        if (store == null) return false;
        StoreState old = current();
        Object fk = null;
        long size = -1, mod = -1;
        try {
            var attrs = Files.readAttributes(store.file(), BasicFileAttributes.class);
            fk = attrs.fileKey();
            size = attrs.size();
            mod = attrs.lastModifiedTime().toMillis();
        } catch (IOException ignored) {
            // treat as missing
        }
        if (Objects.equals(fk, old.fileKey) && size == old.size && mod == old.modified) return false;
        StoreState fresh = load();
        if (fresh.error != null && old.error == null) {
            state = new StoreState(fresh.fileKey, fresh.size, fresh.modified, old.snapshot, null);
            lastRefreshError = fresh.error.getMessage();
            return false;
        }
        lastRefreshError = fresh.error == null ? null : fresh.error.getMessage();
        state = fresh;
        for (Runnable l : listeners) l.run();
        return true;
    }

    /** Why the last changed store file could not be used (the previous snapshot kept serving), or null. */
    public String lastRefreshError() {
        return lastRefreshError;
    }

    /** Called (on the refreshing thread) after the store changed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
