package io.portcullis.core.audit;

import io.portcullis.core.event.EventSink;
import io.portcullis.core.event.PortcullisEvent;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: an {@link EventSink} writing one ECS JSON line per event (see {@link EcsAuditFormat}), each
 * sealed into a hash chain (see {@link AuditChain}), to size-rotated files.
 *
 * <h2>Files and rotation</h2>
 * The active file is {@code options.file()} (e.g. {@code audit.jsonl}). Before a record would take it past
 * {@code maxFileBytes}, it is closed and renamed {@code audit.jsonl.1}; older files shift up
 * ({@code .1 → .2} …) and the file beyond {@code keepFiles} rotated files is deleted. So, oldest to newest:
 * {@code audit.jsonl.N … audit.jsonl.1, audit.jsonl} — the order {@code portcullis audit verify DIR} uses. A
 * single record larger than the limit still goes whole into a fresh file. {@code seq} continues across files and
 * the first record of a new file links to the last record of the previous one. On start the sink resumes the
 * chain from the last complete record of the existing active file (or of {@code .1}); a partial last line left
 * by a crash is terminated with a newline and stays in the file, where verification reports it.
 *
 * <h2>Durability and cost</h2>
 * Runs on the event bus consumer thread, never on the data plane. Lines go to a 64 KiB buffer, flushed to the
 * OS every {@code flushInterval} (via {@link #tick()}), on rotation and on close. {@link FsyncPolicy} decides when
 * the file is forced to disk: {@code ON_ROTATE} (default: at rotation and close; a power loss can lose up to a
 * flush interval plus whatever the OS had not written back), {@code EVERY_FLUSH}, or {@code NEVER}. A process
 * crash (not power loss) loses at most the unflushed buffer, i.e. about one flush interval of records.
 *
 * <p>If a write fails (disk full), the exception propagates to the bus (counted as a sink failure), the chain
 * state is not advanced, and the next record retries on a reopened file.
 */
public final class AuditLogSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogSink.class);
    private static final byte[] HASH_OPEN = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_CLOSE = "\"}}}\n".getBytes(StandardCharsets.US_ASCII);

    /** When the audit file is forced to stable storage. */
    public enum FsyncPolicy { NEVER, ON_ROTATE, EVERY_FLUSH }

    /**
     * @param file          the active audit file, e.g. {@code /var/log/portcullis/audit.jsonl}
     * @param maxFileBytes  rotate before a file would exceed this (min 4 KiB)
     * @param keepFiles     rotated files kept besides the active one (min 1)
     * @param flushInterval how often buffered lines are flushed to the OS
     * @param fsync         when to force to disk
     * @param chainKey      HMAC key for the chain (at least 16 bytes), or null for plain SHA-256
     */
    public record Options(Path file, long maxFileBytes, int keepFiles, Duration flushInterval, FsyncPolicy fsync,
                          byte[] chainKey) {
        public Options {
            Objects.requireNonNull(file, "file");
            if (maxFileBytes < 4096) {
                throw new IllegalArgumentException("audit maxFileBytes must be at least 4096, got " + maxFileBytes);
            }
            if (keepFiles < 1 || keepFiles > 10_000) {
                throw new IllegalArgumentException("audit keepFiles must be between 1 and 10000, got " + keepFiles);
            }
            Objects.requireNonNull(flushInterval, "flushInterval");
            Objects.requireNonNull(fsync, "fsync");
            if (chainKey != null && chainKey.length < 16) {
                throw new IllegalArgumentException("audit chain key must be at least 16 bytes");
            }
            chainKey = chainKey == null ? null : chainKey.clone();
        }

        /** 100 MiB files, 10 kept, 1 s flush, fsync on rotate, no HMAC key. */
        public static Options defaults(Path file) {
            return new Options(file, 100L << 20, 10, Duration.ofSeconds(1), FsyncPolicy.ON_ROTATE, null);
        }

        public Options withMaxFileBytes(long n) {
            return new Options(file, n, keepFiles, flushInterval, fsync, chainKey);
        }

        public Options withKeepFiles(int n) {
            return new Options(file, maxFileBytes, n, flushInterval, fsync, chainKey);
        }

        public Options withFlushInterval(Duration d) {
            return new Options(file, maxFileBytes, keepFiles, d, fsync, chainKey);
        }

        public Options withFsync(FsyncPolicy p) {
            return new Options(file, maxFileBytes, keepFiles, flushInterval, p, chainKey);
        }

        public Options withChainKey(byte[] key) {
            return new Options(file, maxFileBytes, keepFiles, flushInterval, fsync, key);
        }
    }

    private final Options options;
    private final AuditChain chain;
    private final EcsAuditFormat format = new EcsAuditFormat();
    private final EcsAuditFormat.Buffer line = new EcsAuditFormat.Buffer(2048);
    private FileOutputStream fileOut;
    private OutputStream out;
    private long fileBytes;
    private long seq;
    private String prev;
    private long lastFlushNanos = System.nanoTime();
    private boolean dirty;
    private boolean closed;

    /** Opens (creating directories as needed) and resumes the chain from existing files. */
    public AuditLogSink(Options options) throws IOException {
        this.options = options;
        this.chain = new AuditChain(options.chainKey());
        Path dir = options.file().toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        resume();
        open();
    }

    @Override
    public String name() {
        return "audit";
    }

    /** The seq of the last record written (0 before the first). */
    public synchronized long lastSeq() {
        return seq;
    }

    /** The hash of the last record written ({@link AuditChain#GENESIS} before the first). */
    public synchronized String lastHash() {
        return prev;
    }

    public Options options() {
        return options;
    }

    @Override
    public synchronized void accept(PortcullisEvent event) throws IOException {
        if (closed) {
            throw new IOException("audit sink is closed");
        }
        long nextSeq = seq + 1;
        line.reset();
        format.writePrefix(event, chain.alg(), nextSeq, prev, line);
        int prefixLen = line.size();
        String hash = chain.hashOfPrefix(line.array(), prefixLen);
        line.write(HASH_OPEN);
        line.write(hash.getBytes(StandardCharsets.US_ASCII));
        line.write(HASH_CLOSE);
        int n = line.size();
        if (out == null) {
            open();
        }
        if (fileBytes > 0 && fileBytes + n > options.maxFileBytes()) {
            rotate();
        }
        try {
            out.write(line.array(), 0, n);
        } catch (IOException e) {
            closeQuietly();
            throw e;
        }
        fileBytes += n;
        seq = nextSeq;
        prev = hash;
        dirty = true;
    }

    @Override
    public synchronized void tick() throws IOException {
        if (dirty && System.nanoTime() - lastFlushNanos >= options.flushInterval().toNanos()) {
            flush(options.fsync() == FsyncPolicy.EVERY_FLUSH);
        }
    }

    /** Flushes buffered records to the OS now (and to disk when {@code fsync}). */
    public synchronized void flush(boolean fsync) throws IOException {
        lastFlushNanos = System.nanoTime();
        if (out == null) {
            return;
        }
        out.flush();
        if (fsync) {
            fileOut.getFD().sync();
        }
        dirty = false;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (out != null) {
            try {
                flush(options.fsync() != FsyncPolicy.NEVER);
            } finally {
                out.close();
                out = null;
            }
        }
    }

    private void open() throws IOException {
        fileOut = new FileOutputStream(options.file().toFile(), true);
        out = new BufferedOutputStream(fileOut, 64 * 1024);
        fileBytes = Files.size(options.file());
    }

    private void closeQuietly() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // already failing; the caller reports the original error
        }
        out = null;
    }

    private void rotate() throws IOException {
        flush(options.fsync() != FsyncPolicy.NEVER);
        out.close();
        out = null;
        Path active = options.file();
        int keep = options.keepFiles();
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(active, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path rotated(int i) {
        return options.file().resolveSibling(options.file().getFileName() + "." + i);
    }

    /** Finds the last complete record in the active file or {@code .1} and continues its chain. */
    private void resume() throws IOException {
        seq = 0;
        prev = AuditChain.GENESIS;
        for (Path p : new Path[] {options.file(), rotated(1)}) {
            if (!Files.exists(p) || Files.size(p) == 0) {
                continue;
            }
            terminatePartialLine(p);
            AuditChain.Link last = lastLink(p);
            if (last != null) {
                seq = last.seq();
                prev = last.hash();
                if (!last.alg().equals(chain.alg())) {
                    LOG.warn("audit: existing chain in {} uses {}, continuing with {}; verify needs the matching key",
                            p.getFileName(), last.alg(), chain.alg());
                }
                return;
            }
            LOG.warn("audit: no intact record at the end of {}; starting a new chain (verify will report the break)",
                    p.getFileName());
            return;
        }
    }

    private static void terminatePartialLine(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            long len = f.length();
            f.seek(len - 1);
            if (f.read() != '\n') {
                f.seek(len);
                f.write('\n');
                LOG.warn("audit: {} ended with a partial record (crash?); it is kept and verify will report it",
                        p.getFileName());
            }
        }
    }

    /** Parses the chain of the last line that has an intact one (searching backwards within the last 1 MiB). */
    private static AuditChain.Link lastLink(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long len = f.length();
            int window = (int) Math.min(len, 1 << 20);
            byte[] tail = new byte[window];
            f.seek(len - window);
            f.readFully(tail);
            int end = window;
            while (end > 0) {
                while (end > 0 && tail[end - 1] == '\n') {
                    end--;
                }
                int start = end;
                while (start > 0 && tail[start - 1] != '\n') {
                    start--;
                }
                if (start == end || (start == 0 && window < len)) {
                    return null;
                }
                AuditChain.Link link = AuditChain.parse(new String(tail, start, end - start, StandardCharsets.UTF_8));
                if (link != null) {
                    return link; // skips a partial line left by a crash
                }
                end = start;
            }
            return null;
        }
    }
}
