package io.portcullis.inspect.dlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scans a body as it streams, chunk by chunk, with a bounded hold-back across chunk boundaries. One instance
 * per exchange; not thread-safe.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every call to {@link #feed} returns the bytes that may now be released downstream and every finding
 *       inside them (absolute offsets from the start of the body, JSON paths when the body is JSON). Bytes are
 *       released only once the scanner has seen at least {@link #holdBack()} bytes after them (or the body
 *       ended), so a value up to {@code holdBack} bytes long that straddles chunk boundaries is found whole
 *       and before any of it is released: a {@code block} can stop the exchange before the value leaves.</li>
 *   <li>Memory per exchange is bounded: the buffer holds at most {@code holdBack + 64} bytes plus one chunk,
 *       plus a value still being read (capped at {@link #MAX_VALUE}); whatever the body size.</li>
 *   <li>Each finding is reported once; the released bytes can be redacted in place with {@link Redaction}
 *       using the returned findings, since findings never extend past the release point.</li>
 * </ul>
 */
public final class DlpStreamScanner {
    /** Longest value held back while it is still being read (PEM keys, long JWTs). */
    public static final int MAX_VALUE = 64 * 1024;
    private static final int CONTEXT = 64;

    /** Bytes released by one feed, and the findings inside them. {@code offset} is the absolute offset of {@code bytes[0]}. */
    public record Release(byte[] bytes, long offset, List<Finding> findings) {}

    private final DlpEngine engine;
    private final boolean json;
    private final int holdBack;
    private final JsonPathTracker tracker;
    private byte[] buf = new byte[0];
    private int len;         // bytes in buf
    private int released;    // buf[0..released) were already released (kept as look-behind context)
    private long base;       // absolute offset of buf[0]
    private boolean finished;

    /**
     * @param engine   the engine to scan with
     * @param json     true to track JSON paths
     * @param holdBack bytes kept back at the end of the stream (the longest value found across chunks); 64..1 MiB
     */
    public DlpStreamScanner(DlpEngine engine, boolean json, int holdBack) {
        if (holdBack < 64 || holdBack > (1 << 20)) throw new IllegalArgumentException("holdBack must be 64 bytes to 1 MiB");
        this.engine = engine;
        this.json = json;
        this.holdBack = holdBack;
        this.tracker = json ? new JsonPathTracker() : null;
    }

    public int holdBack() {
        return holdBack;
    }

    /** Bytes currently buffered (for limits and tests). */
    public int buffered() {
        return len - released;
    }

    /** Feeds the next chunk ({@code last} = end of body) and returns what may be released now. */
    public Release feed(byte[] chunk, int off, int n, boolean last) {
        if (finished) throw new IllegalStateException("stream already finished");
        finished = last;
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2 > len + n + MAX_VALUE ? len + n : buf.length * 2));
        System.arraycopy(chunk, off, buf, len, n);
        len += n;

        int limit = last ? len : Math.max(released, len - holdBack);
        List<Finding> all = json ? engine.scanJsonText(buf, 0, len) : engine.scanText(buf, 0, len);
        all = new ArrayList<>(all);
        all.sort(Comparator.comparingLong(Finding::start));
        int releaseTo = limit;
        if (!last) {
            for (Finding f : all) {
                if (f.start() >= released && f.start() < limit && f.end() > limit) releaseTo = Math.min(releaseTo, (int) f.start());
            }
            // A value still being read may be held back only up to MAX_VALUE.
            if (len - releaseTo > holdBack + MAX_VALUE) releaseTo = limit;
        }
        var out = new ArrayList<Finding>();
        for (Finding f : all) {
            if (f.start() < released || f.start() >= releaseTo || f.end() > releaseTo) continue;
            String path = "";
            if (tracker != null) {
                long target = base + f.start();
                advanceTracker(target);
                path = tracker.path();
            }
            Finding abs = f.shifted(base);
            out.add(path.isEmpty() ? abs : abs.withPath(path));
        }
        if (tracker != null) advanceTracker(base + releaseTo);
        byte[] bytes = Arrays.copyOfRange(buf, released, releaseTo);
        long offset = base + released;
        // Keep a little already-released context (for key names before a value) and the held-back tail.
        int keepFrom = Math.max(0, releaseTo - CONTEXT);
        System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
        len -= keepFrom;
        base += keepFrom;
        released = releaseTo - keepFrom;
        if (buf.length > 4 * (len + holdBack) && buf.length > 64 * 1024) buf = Arrays.copyOf(buf, len + holdBack);
        return new Release(bytes, offset, out);
    }

    private void advanceTracker(long target) {
        long pos = tracker.position();
        if (target <= pos) return;
        int from = (int) (pos - base);
        tracker.advance(buf, from, (int) (target - pos));
    }
}
