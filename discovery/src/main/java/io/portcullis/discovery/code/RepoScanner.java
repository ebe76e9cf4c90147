package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.SourceLanguage;
import io.portcullis.discovery.registry.Vendor;
import io.portcullis.discovery.registry.VendorRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scans a source tree for the third-party APIs it uses: endpoints, SDK imports, declared dependencies and
 * hard-coded secrets.
 *
 * <p>Guarantees: never follows symbolic links and never opens anything but regular files (so it cannot
 * loop, leave the tree or block on a FIFO); every file it does not read is counted under a {@link SkipReason};
 * unreadable files and broken manifests are counted and reported, never fatal; memory is bounded by
 * {@code threads × maxManifestBytes} for file buffers plus the findings. The walk runs on the calling thread
 * while a fixed pool of workers reads and scans files; output order is deterministic.
 */
public final class RepoScanner {
    private static final int SNIFF_BYTES = 8000; // as git does
    private static final Set<String> BINARY_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tiff", "psd", "pdf", "zip", "gz", "tgz", "bz2", "xz", "7z",
            "rar", "jar", "war", "ear", "class", "so", "dll", "dylib", "exe", "o", "a", "lib", "bin", "dat", "db", "sqlite",
            "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "avi", "wav", "ogg", "flac", "webm", "pyc", "pyo",
            "wasm", "keystore", "jks", "p12", "pfx", "der", "iso", "dmg", "parquet", "avro", "npy");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "markdown", "rst", "adoc", "txt", "html", "htm", "svg");

    private final VendorRegistry registry;
    private final SourceScanner sources;
    private final ScanOptions options;

    public RepoScanner(VendorRegistry registry, SecretDetector secrets, ScanOptions options) {
        this.registry = registry;
        this.sources = new SourceScanner(registry, secrets);
        this.options = options;
    }

    /**
     * Scans the tree under {@code root}.
     *
     * @throws IOException when {@code root} is not a readable directory (nothing under it is ever fatal)
     */
    public ScanReport scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
        long started = System.nanoTime();
        Run run = new Run(root.toRealPath()); // a root given through a symlink is scanned; links inside are not followed
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "repo-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            Files.walkFileTree(run.root, new Walker(run, pool));
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                    // keep waiting: workers always finish (bounded file sizes, no blocking reads)
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        List<RepoFinding> findings = new ArrayList<>(run.findings);
        findings.sort(Comparator.comparing(RepoFinding::file).thenComparingInt(RepoFinding::line)
                .thenComparing(RepoFinding::kind).thenComparing(RepoFinding::detail));
        Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, run.skipped.get(r.ordinal()));
        }
        Map<FindingKind, Long> byKind = new EnumMap<>(FindingKind.class);
        for (FindingKind k : FindingKind.values()) {
            byKind.put(k, 0L);
        }
        findings.forEach(f -> byKind.merge(f.kind(), 1L, Long::sum));
        List<String> problems = new ArrayList<>(run.problems);
        problems.sort(null);
        ScanSummary summary = new ScanSummary(run.files.get(), run.bytes.get(), skipped, byKind, run.manifests.get(),
                run.manifestProblems.get(), run.errors.get(), Duration.ofNanos(System.nanoTime() - started));
        return new ScanReport(findings, summary, problems);
    }

    private static final class Run {
        final Path root;
        final ConcurrentLinkedQueue<RepoFinding> findings = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicLongArray skipped = new AtomicLongArray(SkipReason.values().length);
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong manifests = new AtomicLong();
        final AtomicLong manifestProblems = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Run(Path root) {
            this.root = root;
        }

        void skip(SkipReason reason) {
            skipped.incrementAndGet(reason.ordinal());
        }

        String relative(Path p) {
            String rel = root.relativize(p).toString();
            return p.getFileSystem().getSeparator().equals("/") ? rel : rel.replace(p.getFileSystem().getSeparator(), "/");
        }
    }

    private final class Walker extends SimpleFileVisitor<Path> {
        private final Run run;
        private final ExecutorService pool;

        Walker(Run run, ExecutorService pool) {
            this.run = run;
            this.pool = pool;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(run.root) && dir.getFileName() != null && options.skippedDirectories().contains(dir.getFileName().toString())) {
                run.skip(SkipReason.VENDORED_DIR);
                return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isSymbolicLink()) {
                run.skip(SkipReason.SYMLINK);
                return FileVisitResult.CONTINUE;
            }
            if (!attrs.isRegularFile()) {
                run.skip(SkipReason.NOT_REGULAR);
                return FileVisitResult.CONTINUE;
            }
            String name = file.getFileName().toString();
            ManifestParser manifest = ManifestParser.forFileName(name);
            long cap = manifest != null ? options.maxManifestBytes() : options.maxFileBytes();
            if (attrs.size() > cap) {
                run.skip(SkipReason.TOO_LARGE);
                return FileVisitResult.CONTINUE;
            }
            String ext = extension(name);
            if (manifest == null && BINARY_EXTENSIONS.contains(ext)) {
                run.skip(SkipReason.BINARY);
                return FileVisitResult.CONTINUE;
            }
            pool.execute(() -> scanFile(run, file, name, ext, manifest, cap));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
            run.skip(SkipReason.UNREADABLE);
            run.problems.add(run.relative(file) + ": unreadable (" + exc.getClass().getSimpleName() + ")");
            return FileVisitResult.CONTINUE;
        }
    }

    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {new byte[64 * 1024]});

    private void scanFile(Run run, Path file, String name, String ext, ManifestParser manifest, long cap) {
        String rel = run.relative(file);
        byte[][] holder = BUFFER.get();
        int length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            length = readAll(ch, holder, cap);
        } catch (IOException e) {
            run.skip(SkipReason.UNREADABLE);
            run.problems.add(rel + ": unreadable (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (length < 0) {
            run.skip(SkipReason.TOO_LARGE); // grew past the cap after the walk saw it
            return;
        }
        byte[] b = holder[0];
        for (int i = 0, n = Math.min(length, SNIFF_BYTES); i < n; i++) {
            if (b[i] == 0) {
                run.skip(SkipReason.BINARY);
                return;
            }
        }
        run.files.incrementAndGet();
        run.bytes.addAndGet(length);
        FileFindings out = new FileFindings(rel);
        try {
            boolean lock = false;
            if (manifest != null) {
                lock = manifest.lockFile();
                run.manifests.incrementAndGet();
                ManifestContents contents = manifest.parse(b, length);
                if (!contents.problems().isEmpty()) {
                    run.manifestProblems.incrementAndGet();
                    run.problems.add(rel + ": " + contents.problems().get(0)
                            + (contents.problems().size() > 1 ? " (and " + (contents.problems().size() - 1) + " more)" : ""));
                }
                for (DeclaredDependency d : contents.dependencies()) {
                    Optional<Vendor> v = registry.vendorForPackage(d.ecosystem(), d.name());
                    if (v.isPresent()) {
                        String detail = d.ecosystem().key() + " " + d.name() + (d.version().isEmpty() ? "" : " " + d.version());
                        out.add(FindingKind.DEPENDENCY, v.get().id(), d.line(), detail);
                    }
                }
            }
            if (!lock) {
                sources.scan(b, length, language(ext), true, true, out, !DOC_EXTENSIONS.contains(ext));
            }
        } catch (RuntimeException e) {
            run.errors.incrementAndGet();
            run.problems.add(rel + ": scanner error (" + e.getClass().getSimpleName() + ")");
        }
        run.findings.addAll(out.findings());
    }

    /** Reads the whole file into holder[0] (grown as needed); -1 if it is longer than cap. */
    private static int readAll(FileChannel ch, byte[][] holder, long cap) throws IOException {
        long size = ch.size();
        if (size > cap) {
            return -1;
        }
        if (holder[0].length < size + 1) {
            holder[0] = new byte[(int) Math.min(cap + 1, Math.max(size + 1, holder[0].length * 2L))];
        }
        ByteBuffer buf = ByteBuffer.wrap(holder[0]);
        while (true) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            if (!buf.hasRemaining()) {
                if (buf.position() > cap) {
                    return -1;
                }
                byte[] bigger = new byte[(int) Math.min(cap + 1, holder[0].length * 2L)];
                if (bigger.length <= holder[0].length) {
                    return -1;
                }
                System.arraycopy(holder[0], 0, bigger, 0, buf.position());
                int pos = buf.position();
                holder[0] = bigger;
                buf = ByteBuffer.wrap(bigger);
                buf.position(pos);
            }
        }
        return buf.position() > cap ? -1 : buf.position();
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static SourceLanguage language(String ext) {
        return switch (ext) {
            case "java", "kt", "kts", "scala", "groovy" -> SourceLanguage.JAVA;
            case "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte" -> SourceLanguage.JAVASCRIPT;
            case "py", "pyi" -> SourceLanguage.PYTHON;
            case "go" -> SourceLanguage.GO;
            case "rb", "rake" -> SourceLanguage.RUBY;
            case "php" -> SourceLanguage.PHP;
            case "cs" -> SourceLanguage.CSHARP;
            default -> null;
        };
    }
}
