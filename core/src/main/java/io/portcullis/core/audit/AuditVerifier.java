package io.portcullis.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks an audit trail written by {@link AuditLogSink}: every record's hash, the {@code seq} sequence and the
 * {@code prev} links, across rotated files, and reports the <em>first</em> problem found.
 *
 * <h2>What it proves, and what it does not (threat model)</h2>
 * <ul>
 *   <li>Detected always: an edited record (hash mismatch), a deleted or inserted record in the middle (seq gap or
 *       broken link), reordered records, a truncated or garbled line, a missing rotated file in the middle.</li>
 *   <li>With plain SHA-256 chaining, anyone who can write the files can rewrite a record <em>and</em> recompute
 *       every later hash; the chain then only catches accidents and careless edits. With an HMAC key
 *       ({@code PORTCULLIS_AUDIT_KEY}) an attacker must also hold the key; the gateway process holds it, so a
 *       compromise of the gateway host defeats it, but tampering with shipped copies, backups or a log volume does
 *       not.</li>
 *   <li>Not detectable from the files alone: removing whole records from the <em>end</em> (tail truncation), or
 *       whole oldest files. Compare the reported head ({@code lastSeq}, {@code lastHash}) with a copy kept elsewhere
 *       (the SIEM that receives the lines), or pass a previously recorded head as an {@link Anchor}: a later
 *       verification then fails if the chain no longer reaches that record or holds a different one there. Use
 *       {@code requireGenesis} when the first file must be present.</li>
 * </ul>
 * Not thread-safe; create one per verification.
 */
public final class AuditVerifier {

    private static final int MAX_LINE = 8 << 20;
    private static final Pattern ROTATED = Pattern.compile("(.+?)(?:\\.(\\d{1,9}))?");
    private final byte[] key;
    private final boolean requireGenesis;
    private Anchor anchor;
    private final JsonFactory json = new JsonFactory();

    /**
     * @param key            the HMAC key the sink used, or null for a plain SHA-256 chain
     * @param requireGenesis when true the first record must be seq 1 linking to {@link AuditChain#GENESIS}
     */
    public AuditVerifier(byte[] key, boolean requireGenesis) {
        this.key = key == null ? null : key.clone();
        this.requireGenesis = requireGenesis;
    }

    /**
     * A record known from elsewhere (e.g. the head printed by an earlier verification, or kept by the SIEM): the
     * chain must contain a record with this {@code seq} and this {@code hash}.
     */
    public record Anchor(long seq, String hash) {
        public Anchor {
            if (seq < 1 || hash == null || !hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("anchor must be SEQ:HASH with seq >= 1 and a 64-hex-digit hash");
            }
        }

        /** Parses {@code SEQ:HASH}. */
        public static Anchor parse(String text) {
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("anchor must be SEQ:HASH, e.g. 1042:3f5a...");
            }
            try {
                return new Anchor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1).toLowerCase(java.util.Locale.ROOT));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("anchor must be SEQ:HASH with a decimal seq");
            }
        }
    }

    /** Also require the chain to contain {@code anchor} (detects tail truncation since the anchor was taken). */
    public AuditVerifier withAnchor(Anchor anchor) {
        this.anchor = anchor;
        return this;
    }

    /** The outcome of a verification. */
    public sealed interface Result permits Intact, Broken, Unreadable {
        /** One line for humans. */
        String summary();

        /** 0 intact, 1 broken, 2 could not verify. */
        int exitCode();
    }

    /**
     * Everything checked out.
     *
     * @param fromGenesis true if the first record is seq 1 linked to genesis; false when older files were rotated
     *                    away (or not supplied) and the chain starts at {@code firstSeq}
     */
    public record Intact(long records, int files, long firstSeq, long lastSeq, String lastHash, boolean fromGenesis)
            implements Result {
        @Override
        public String summary() {
            if (records == 0) {
                return "OK: no records in " + files + " file(s)";
            }
            return "OK: " + records + " records in " + files + " file(s) intact, seq " + firstSeq + ".." + lastSeq
                    + (fromGenesis ? " from genesis" : " (chain starts at seq " + firstSeq + "; earlier files absent)")
                    + "; head " + lastSeq + ":" + lastHash;
        }

        @Override
        public int exitCode() {
            return 0;
        }
    }

    /** The kind of the first problem. */
    public enum Problem {
        /** The record's content does not match its hash: it was edited. */
        TAMPERED,
        /** The seq jumps forward: records are missing (deleted, or a rotated file is absent). */
        MISSING,
        /** The seq goes backwards or repeats: records were reordered or duplicated. */
        OUT_OF_ORDER,
        /** The seq is right but {@code prev} does not match the previous record's hash: replaced or re-chained. */
        BROKEN_LINK,
        /** The line is not a complete chained record (truncated, garbled, empty). */
        MALFORMED
    }

    /**
     * The first problem found.
     *
     * @param line     1-based line number within {@code file}
     * @param seq      the record's seq, or -1 if it could not be read
     * @param expected what the chain required (a hash or a seq), or empty
     * @param actual   what the record holds, or empty
     * @param verified records verified intact before this one
     */
    public record Broken(Problem problem, Path file, long line, long seq, String expected, String actual,
                         String detail, long verified) implements Result {
        @Override
        public String summary() {
            StringBuilder b = new StringBuilder("BROKEN: ").append(problem).append(" at ").append(file)
                    .append(" line ").append(line);
            if (seq >= 0) {
                b.append(" (seq ").append(seq).append(')');
            }
            b.append(": ").append(detail);
            if (!expected.isEmpty() || !actual.isEmpty()) {
                b.append("; expected ").append(expected).append(", actual ").append(actual);
            }
            return b.append("; ").append(verified).append(" records verified before it").toString();
        }

        @Override
        public int exitCode() {
            return 1;
        }
    }

    /** Verification could not run (missing file, I/O error, key required). */
    public record Unreadable(String message) implements Result {
        @Override
        public String summary() {
            return "ERROR: " + message;
        }

        @Override
        public int exitCode() {
            return 2;
        }
    }

    /**
     * Expands directories into their audit files and puts rotated files in chain order (oldest first:
     * {@code x.jsonl.N … x.jsonl.1, x.jsonl}). Files with different base names keep the order given.
     *
     * @throws IllegalArgumentException when an input does not exist, or a directory holds several logs
     */
    public static List<Path> rotationOrder(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> found;
                try (Stream<Path> s = Files.list(in)) {
                    found = s.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().matches(".*\\.jsonl(\\.\\d{1,9})?"))
                            .toList();
                }
                Set<String> bases = new LinkedHashSet<>();
                found.forEach(p -> bases.add(base(p)));
                if (bases.size() > 1) {
                    throw new IllegalArgumentException("directory " + in + " holds several audit logs " + bases
                            + "; name the files to verify");
                }
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("directory " + in + " holds no *.jsonl audit files");
                }
                files.addAll(found);
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new IllegalArgumentException("no such file: " + in);
            }
        }
        Set<String> bases = new LinkedHashSet<>();
        files.forEach(p -> bases.add(p.toAbsolutePath().getParent() + "/" + base(p)));
        if (bases.size() == 1) {
            files = new ArrayList<>(files.stream().distinct()
                    .sorted(Comparator.comparingInt(AuditVerifier::index).reversed()).toList());
        }
        return files;
    }

    private static String base(Path p) {
        Matcher m = ROTATED.matcher(p.getFileName().toString());
        return m.matches() ? m.group(1) : p.getFileName().toString();
    }

    private static int index(Path p) {
        Matcher m = ROTATED.matcher(p.getFileName().toString());
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
    }

    /** Verifies the files as one chain, in the order given (see {@link #rotationOrder}). */
    public Result verify(List<Path> files) {
        Objects.requireNonNull(files, "files");
        AuditChain chain = new AuditChain(key);
        State st = new State();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                Result r = verifyFile(file, in, chain, st);
                if (r != null) {
                    return r;
                }
            } catch (NoSuchFileException e) {
                return new Unreadable("no such file: " + file);
            } catch (IOException e) {
                return new Unreadable("cannot read " + file + ": " + e.getMessage());
            }
        }
        if (anchor != null && st.lastSeq < anchor.seq()) {
            return new Broken(Problem.MISSING, files.isEmpty() ? Path.of("") : files.getLast(), st.lastLine,
                    st.lastSeq, "seq " + anchor.seq(), "last seq " + st.lastSeq,
                    "the chain ends before the anchor: records at the end were removed (tail truncated)", st.records);
        }
        if (anchor != null && st.records > 0 && st.firstSeq > anchor.seq()) {
            return new Broken(Problem.MISSING, files.getFirst(), 1, st.firstSeq, "seq " + anchor.seq(),
                    "first seq " + st.firstSeq, "the anchor record is not in the files given", st.records);
        }
        return new Intact(st.records, files.size(), st.firstSeq, st.lastSeq, st.lastHash, st.fromGenesis);
    }

    private static final class State {
        long records;
        long firstSeq = -1;
        long lastSeq = -1;
        String lastHash = "";
        long lastLine;
        boolean fromGenesis;
    }

    private Result verifyFile(Path file, InputStream in, AuditChain chain, State st) throws IOException {
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[8192];
        int lineLen = 0;
        boolean tooLong = false;
        long lineNo = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                int seg = i - from;
                if (!tooLong && lineLen + seg > MAX_LINE) {
                    tooLong = true;
                }
                if (!tooLong) {
                    line = ensure(line, lineLen + seg);
                    System.arraycopy(chunk, from, line, lineLen, seg);
                    lineLen += seg;
                }
                lineNo++;
                Result r = tooLong
                        ? new Broken(Problem.MALFORMED, file, lineNo, -1, "", "", "line longer than 8 MiB", st.records)
                        : verifyLine(file, lineNo, line, lineLen, chain, st);
                if (r != null) {
                    return r;
                }
                lineLen = 0;
                tooLong = false;
                from = i + 1;
            }
            int seg = n - from;
            if (!tooLong && lineLen + seg > MAX_LINE) {
                tooLong = true;
            }
            if (!tooLong) {
                line = ensure(line, lineLen + seg);
                System.arraycopy(chunk, from, line, lineLen, seg);
                lineLen += seg;
            }
        }
        if (lineLen > 0 || tooLong) { // last line without a newline
            lineNo++;
            return tooLong
                    ? new Broken(Problem.MALFORMED, file, lineNo, -1, "", "", "line longer than 8 MiB", st.records)
                    : verifyLine(file, lineNo, line, lineLen, chain, st);
        }
        return null;
    }

    private static byte[] ensure(byte[] b, int size) {
        return size <= b.length ? b : java.util.Arrays.copyOf(b, Math.max(size, b.length * 2));
    }

    private Result verifyLine(Path file, long lineNo, byte[] bytes, int len, AuditChain chain, State st) {
        boolean blank = true;
        for (int i = 0; i < len && blank; i++) {
            blank = bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r';
        }
        if (blank) {
            return new Broken(Problem.MALFORMED, file, lineNo, -1, "", "", "empty line", st.records);
        }
        int tailFrom = Math.max(0, len - 260);
        AuditChain.Link link = AuditChain.parse(new String(bytes, tailFrom, len - tailFrom, StandardCharsets.UTF_8));
        if (link == null) {
            return new Broken(Problem.MALFORMED, file, lineNo, -1, "", "",
                    "not a complete chained record (truncated or garbled)", st.records);
        }
        if (key == null && link.alg().equals(AuditChain.ALG_HMAC)) {
            return new Unreadable("records are HMAC-chained (" + file + " line " + lineNo
                    + "); set PORTCULLIS_AUDIT_KEY to the key the gateway used");
        }
        if (key != null && !link.alg().equals(AuditChain.ALG_HMAC)) {
            return new Broken(Problem.TAMPERED, file, lineNo, link.seq(), AuditChain.ALG_HMAC, link.alg(),
                    "record is not HMAC-chained although a key was given (downgraded or written without the key)",
                    st.records);
        }
        // canonical bytes = line without the ,"hash":"<64 hex>" member (which sits just before the final "}}}")
        int cut = len - 3 - AuditChain.HASH_MEMBER_LENGTH;
        String computed = chain.hashOfPrefix(bytes, cut);
        if (!computed.equals(link.hash())) {
            return new Broken(Problem.TAMPERED, file, lineNo, link.seq(), computed, link.hash(),
                    "record content does not match its hash", st.records);
        }
        if (!wellFormedJson(bytes, len)) {
            return new Broken(Problem.MALFORMED, file, lineNo, link.seq(), "", "", "not well-formed JSON", st.records);
        }
        if (st.records == 0) {
            boolean genesis = link.seq() == 1 && link.prev().equals(AuditChain.GENESIS);
            if (link.seq() == 1 && !genesis) {
                return new Broken(Problem.BROKEN_LINK, file, lineNo, 1, AuditChain.GENESIS, link.prev(),
                        "first record does not link to genesis", 0);
            }
            if (requireGenesis && !genesis) {
                return new Broken(Problem.MISSING, file, lineNo, link.seq(), "seq 1", "seq " + link.seq(),
                        "records before this one are missing (first record must be seq 1)", 0);
            }
            st.fromGenesis = genesis;
            st.firstSeq = link.seq();
        } else {
            long expected = st.lastSeq + 1;
            if (link.seq() > expected) {
                return new Broken(Problem.MISSING, file, lineNo, link.seq(), "seq " + expected, "seq " + link.seq(),
                        (link.seq() - expected) + " record(s) missing before this one (deleted or out of order)",
                        st.records);
            }
            if (link.seq() < expected) {
                return new Broken(Problem.OUT_OF_ORDER, file, lineNo, link.seq(), "seq " + expected,
                        "seq " + link.seq(), "seq went backwards (records reordered or duplicated)", st.records);
            }
            if (!link.prev().equals(st.lastHash)) {
                return new Broken(Problem.BROKEN_LINK, file, lineNo, link.seq(), st.lastHash, link.prev(),
                        "prev does not match the previous record's hash (record replaced or chain spliced)",
                        st.records);
            }
        }
        st.records++;
        st.lastSeq = link.seq();
        st.lastHash = link.hash();
        st.lastLine = lineNo;
        if (anchor != null && link.seq() == anchor.seq() && !link.hash().equals(anchor.hash())) {
            return new Broken(Problem.TAMPERED, file, lineNo, link.seq(), anchor.hash(), link.hash(),
                    "record differs from the anchor (this part of the chain was rewritten)", st.records - 1);
        }
        return null;
    }

    private boolean wellFormedJson(byte[] bytes, int len) {
        try (JsonParser p = json.createParser(bytes, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
