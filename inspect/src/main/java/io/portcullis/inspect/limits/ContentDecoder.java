package io.portcullis.inspect.limits;

import io.portcullis.core.config.InboundPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.brotli.dec.BrotliInputStream;

/**
 * Decodes a body's {@code Content-Encoding} (identity, gzip, x-gzip, deflate, br) while guarding against
 * decompression bombs.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Decoded output never exceeds {@code maxBodySize} bytes: a body that would decode to more is a
 *       {@link DecodeVerdict.Bomb} with reason {@code size}; exactly {@code maxBodySize} passes.</li>
 *   <li>Once more than {@link #RATIO_FLOOR} bytes are decoded, decoded/encoded may not exceed
 *       {@code maxCompressionRatio}; otherwise a {@code Bomb} with reason {@code ratio}. Small bodies are exempt
 *       so that short, repetitive JSON is never misjudged.</li>
 *   <li>Encoded input is capped at {@code maxBodySize} too ({@link StructureVerdict.Limit#BODY_SIZE} applies to wire bytes).</li>
 *   <li>gzip and deflate decode incrementally as chunks arrive (memory: one inflater window plus one output
 *       buffer); gzip header flags, CRC-32 and ISIZE are checked, concatenated members are accepted.
 *       Brotli: org.brotli:dec is pull-based, so encoded bytes are held (bounded by the encoded cap) and
 *       decoded when the last chunk arrives, still stopping at the output cap.</li>
 *   <li>Corrupt or truncated input is {@link DecodeVerdict.Corrupt}; no input throws or hangs.</li>
 * </ul>
 * One instance decodes one body and is not thread-safe.
 */
public abstract sealed class ContentDecoder {
    /** Bodies that decode to at most this many bytes are not subject to the ratio check. */
    public static final long RATIO_FLOOR = 64 * 1024;
    private static final int OUT_BUFFER = 16 * 1024;
    private static final int MAX_GZIP_HEADER = 64 * 1024;

    final long maxDecoded;
    final long maxRatio;
    long encoded;
    long decoded;
    DecodeVerdict verdict = DecodeVerdict.Fine.INSTANCE;

    ContentDecoder(InboundPolicy.Limits limits) {
        this.maxDecoded = limits.maxBodySize();
        this.maxRatio = limits.maxCompressionRatio();
    }

    /**
     * A decoder for a {@code Content-Encoding} header value; null or empty means identity. Stacked encodings
     * ({@code gzip, br}) and unknown encodings return a decoder that answers {@link DecodeVerdict.Corrupt}.
     */
    public static ContentDecoder forEncoding(String contentEncoding, InboundPolicy.Limits limits) {
        String e = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> new Identity(limits);
            case "gzip", "x-gzip" -> new Inflating(limits, Inflating.Format.GZIP);
            case "deflate" -> new Inflating(limits, Inflating.Format.DEFLATE_AUTO);
            case "br" -> new Brotli(limits);
            default -> new Unsupported(limits, e.contains(",") ? "stacked content encodings are not accepted" : "unsupported content encoding");
        };
    }

    /**
     * Feeds the next encoded chunk; decoded bytes go to {@code sink} (the array is only valid during the call).
     * Returns {@code Fine} while acceptable; with {@code last}, {@code Fine} means the stream was complete.
     */
    public final DecodeVerdict feed(byte[] chunk, int off, int len, boolean last, Sink sink) {
        if (!verdict.ok()) return verdict;
        encoded += len;
        if (encoded > maxDecoded) {
            return verdict = new DecodeVerdict.Bomb("size", encoded, decoded, maxDecoded);
        }
        try {
            verdict = decode(chunk, off, len, last, sink);
        } catch (RuntimeException e) {
            verdict = new DecodeVerdict.Corrupt("the encoded body could not be decoded", encoded);
        }
        return verdict;
    }

    public final DecodeVerdict feed(byte[] chunk, boolean last, Sink sink) {
        return feed(chunk, 0, chunk.length, last, sink);
    }

    /** Decodes a whole body in memory; the output is the decoded body when the verdict is {@code Fine}. */
    public static Decoded decodeAll(String contentEncoding, InboundPolicy.Limits limits, byte[] body) {
        var out = new ByteArrayOutputStream();
        var verdict = forEncoding(contentEncoding, limits).feed(body, true, (b, o, l) -> out.write(b, o, l));
        return new Decoded(verdict, verdict.ok() ? out.toByteArray() : new byte[0]);
    }

    public record Decoded(DecodeVerdict verdict, byte[] body) {
    }

    public long encodedBytes() {
        return encoded;
    }

    public long decodedBytes() {
        return decoded;
    }

    abstract DecodeVerdict decode(byte[] chunk, int off, int len, boolean last, Sink sink);

    /** Accounts for {@code n} new output bytes; returns the bomb verdict or null. Inclusive limits. */
    final DecodeVerdict account(long n) {
        decoded += n;
        return check(decoded, encoded);
    }

    final DecodeVerdict check(long decodedSoFar, long encodedSoFar) {
        if (decodedSoFar > maxDecoded) return new DecodeVerdict.Bomb("size", encodedSoFar, decodedSoFar, maxDecoded);
        if (decodedSoFar > RATIO_FLOOR && decodedSoFar > Math.max(1, encodedSoFar) * maxRatio) {
            return new DecodeVerdict.Bomb("ratio", encodedSoFar, decodedSoFar, maxRatio);
        }
        return null;
    }

    /** Receives decoded bytes. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buf, int off, int len);
    }

    static final class Identity extends ContentDecoder {
        Identity(InboundPolicy.Limits limits) {
            super(limits);
        }

        @Override
        DecodeVerdict decode(byte[] chunk, int off, int len, boolean last, Sink sink) {
            decoded += len;
            if (len > 0) sink.accept(chunk, off, len);
            return DecodeVerdict.Fine.INSTANCE;
        }
    }

    static final class Unsupported extends ContentDecoder {
        private final String reason;

        Unsupported(InboundPolicy.Limits limits, String reason) {
            super(limits);
            this.reason = reason;
        }

        @Override
        DecodeVerdict decode(byte[] chunk, int off, int len, boolean last, Sink sink) {
            return new DecodeVerdict.Corrupt(reason, encoded);
        }
    }

    /** gzip (RFC 1952) and deflate (RFC 1950 zlib, or raw RFC 1951 as some servers send), incrementally. */
    static final class Inflating extends ContentDecoder {
        enum Format { GZIP, DEFLATE_AUTO }

        private enum State { HEADER, BODY, TRAILER, DONE }

        private final Format format;
        private final byte[] out = new byte[OUT_BUFFER];
        private final CRC32 crc = new CRC32();
        private Inflater inflater;
        private State state = State.HEADER;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private long memberDecoded;

        Inflating(InboundPolicy.Limits limits, Format format) {
            super(limits);
            this.format = format;
        }

        @Override
        DecodeVerdict decode(byte[] chunk, int off, int len, boolean last, Sink sink) {
            if (last && encoded == 0) return DecodeVerdict.Fine.INSTANCE; // an empty body stays empty
            pending.write(chunk, off, len);
            byte[] in = pending.toByteArray();
            pending.reset();
            int pos = 0;
            try {
                while (pos < in.length || (state == State.BODY && !inflater.needsInput())) {
                    switch (state) {
                        case HEADER -> {
                            if (format == Format.DEFLATE_AUTO) {
                                if (in.length - pos < 2 && !last) {
                                    pending.write(in, pos, in.length - pos);
                                    return DecodeVerdict.Fine.INSTANCE;
                                }
                                int cmf = in[pos] & 0xff;
                                boolean zlib = in.length - pos >= 2 && (cmf & 0x0f) == 8 && (cmf >> 4) <= 7
                                        && ((cmf << 8) | (in[pos + 1] & 0xff)) % 31 == 0;
                                inflater = new Inflater(!zlib);
                                state = State.BODY;
                            } else {
                                int h = gzipHeaderLength(in, pos);
                                if (h == -2) return new DecodeVerdict.Corrupt("not a gzip stream (bad header)", encoded);
                                if (h == -1) {
                                    if (in.length - pos > MAX_GZIP_HEADER) return new DecodeVerdict.Corrupt("gzip header too long", encoded);
                                    pending.write(in, pos, in.length - pos);
                                    pos = in.length;
                                    break;
                                }
                                pos += h;
                                inflater = new Inflater(true);
                                crc.reset();
                                memberDecoded = 0;
                                state = State.BODY;
                            }
                        }
                        case BODY -> {
                            if (inflater.needsInput() && pos < in.length) {
                                inflater.setInput(in, pos, in.length - pos);
                                pos = in.length;
                            }
                            int n = inflater.inflate(out);
                            if (n > 0) {
                                var bomb = account(n);
                                if (bomb != null) return end(bomb);
                                if (format == Format.GZIP) {
                                    crc.update(out, 0, n);
                                    memberDecoded += n;
                                }
                                sink.accept(out, 0, n);
                            }
                            if (inflater.finished()) {
                                pos = in.length - inflater.getRemaining();
                                inflater.end();
                                state = format == Format.GZIP ? State.TRAILER : State.DONE;
                            } else if (n == 0 && inflater.needsDictionary()) {
                                return end(new DecodeVerdict.Corrupt("deflate stream needs a preset dictionary", encoded));
                            } else if (n == 0 && inflater.needsInput()) {
                                if (pos >= in.length) return last ? end(new DecodeVerdict.Corrupt("truncated compressed body", encoded))
                                        : DecodeVerdict.Fine.INSTANCE;
                            } else if (n == 0) {
                                return end(new DecodeVerdict.Corrupt("compressed body makes no progress", encoded));
                            }
                        }
                        case TRAILER -> {
                            if (in.length - pos < 8) {
                                if (last) return new DecodeVerdict.Corrupt("truncated gzip trailer", encoded);
                                pending.write(in, pos, in.length - pos);
                                pos = in.length;
                                break;
                            }
                            long wantCrc = le32(in, pos);
                            long wantSize = le32(in, pos + 4);
                            pos += 8;
                            if (wantCrc != crc.getValue() || wantSize != (memberDecoded & 0xffffffffL)) {
                                return new DecodeVerdict.Corrupt("gzip checksum or length mismatch", encoded);
                            }
                            state = State.DONE;
                        }
                        case DONE -> {
                            if (format == Format.GZIP) {
                                // RFC 1952 2.2: a gzip file may hold several members back to back.
                                state = State.HEADER;
                            } else {
                                return new DecodeVerdict.Corrupt("data after the end of the deflate stream", encoded);
                            }
                        }
                    }
                }
            } catch (DataFormatException e) {
                return end(new DecodeVerdict.Corrupt("invalid compressed data", encoded));
            }
            if (last && state != State.DONE) {
                return end(new DecodeVerdict.Corrupt("truncated compressed body", encoded));
            }
            return DecodeVerdict.Fine.INSTANCE;
        }

        private DecodeVerdict end(DecodeVerdict v) {
            if (inflater != null) inflater.end();
            return v;
        }

        private static long le32(byte[] b, int p) {
            return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
        }

        /** Length of the gzip member header at {@code p}; -1 if more bytes are needed, -2 if not gzip. */
        static int gzipHeaderLength(byte[] b, int p) {
            int n = b.length - p;
            if (n >= 1 && (b[p] & 0xff) != 0x1f) return -2;
            if (n >= 2 && (b[p + 1] & 0xff) != 0x8b) return -2;
            if (n >= 3 && b[p + 2] != 8) return -2;
            if (n < 10) return -1;
            int flg = b[p + 3] & 0xff;
            if ((flg & 0xe0) != 0) return -2;
            int i = p + 10;
            if ((flg & 4) != 0) {
                if (b.length - i < 2) return -1;
                int xlen = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
                i += 2 + xlen;
                if (i > b.length) return -1;
            }
            for (int bit : new int[] {8, 16}) {
                if ((flg & bit) != 0) {
                    while (i < b.length && b[i] != 0) i++;
                    if (i >= b.length) return -1;
                    i++;
                }
            }
            if ((flg & 2) != 0) {
                i += 2;
                if (i > b.length) return -1;
            }
            return i - p;
        }
    }

    /** Brotli (RFC 7932). Encoded bytes are held until the last chunk (bounded by the encoded cap). */
    static final class Brotli extends ContentDecoder {
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();

        Brotli(InboundPolicy.Limits limits) {
            super(limits);
        }

        @Override
        DecodeVerdict decode(byte[] chunk, int off, int len, boolean last, Sink sink) {
            held.write(chunk, off, len);
            if (!last) return DecodeVerdict.Fine.INSTANCE;
            byte[] in = held.toByteArray();
            held.reset();
            byte[] out = new byte[OUT_BUFFER];
            try (InputStream br = new BrotliInputStream(new java.io.ByteArrayInputStream(in))) {
                int n;
                while ((n = br.read(out)) > 0) {
                    var bomb = account(n);
                    if (bomb != null) return bomb;
                    sink.accept(out, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                return new DecodeVerdict.Corrupt("invalid brotli data", encoded);
            }
            return DecodeVerdict.Fine.INSTANCE;
        }
    }

    /** Collects every decoded chunk (for callers that want them as a list). */
    public static Sink collectingInto(List<byte[]> out) {
        return (b, o, l) -> {
            byte[] c = new byte[l];
            System.arraycopy(b, o, c, 0, l);
            out.add(c);
        };
    }
}
