package io.portcullis.discovery.code;

import java.util.Set;

/**
 * Limits and choices of a repository scan.
 *
 * @param maxFileBytes      source and config files larger than this are skipped (counted as too large)
 * @param maxManifestBytes  manifests and lock files may be larger (lock files often are), up to this
 * @param threads           worker threads reading and scanning files (the walk itself is one thread)
 * @param skippedDirectories directory names never entered (vendored, generated or VCS metadata)
 */
public record ScanOptions(long maxFileBytes, long maxManifestBytes, int threads, Set<String> skippedDirectories) {
    public static final Set<String> DEFAULT_SKIPPED_DIRECTORIES = Set.of(
            ".git", ".hg", ".svn", "node_modules", "vendor", "third_party", "third-party", "bower_components");

    public ScanOptions {
        if (maxFileBytes < 1 || maxManifestBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 16 || maxManifestBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("file size caps must be between 1 byte and 2 GiB");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be between 1 and 256");
        }
        skippedDirectories = Set.copyOf(skippedDirectories);
    }

    /** 4 MiB per source file, 64 MiB per manifest, one worker per available processor. */
    public static ScanOptions defaults() {
        return new ScanOptions(4L << 20, 64L << 20, Runtime.getRuntime().availableProcessors(), DEFAULT_SKIPPED_DIRECTORIES);
    }

    public ScanOptions withMaxFileBytes(long max) {
        return new ScanOptions(max, maxManifestBytes, threads, skippedDirectories);
    }

    public ScanOptions withThreads(int n) {
        return new ScanOptions(maxFileBytes, maxManifestBytes, n, skippedDirectories);
    }
}
