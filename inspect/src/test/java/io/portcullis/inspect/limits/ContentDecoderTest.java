package io.portcullis.inspect.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Action;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecoderTest {
    static final InboundPolicy.Limits LIMITS = new InboundPolicy.Limits(1 << 20, 64, 10, 10, 10, 10, 100, Action.BLOCK);

    static byte[] gzip(byte[] b) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] b, boolean raw) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var z = new DeflaterOutputStream(out, new Deflater(9, raw))) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static byte[] randomText(int n, long seed) {
        var rnd = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ('a' + rnd.nextInt(26));
        return b;
    }

    /** Feeds in chunks of {@code chunk} bytes, collecting output. */
    static Object[] decode(String encoding, InboundPolicy.Limits limits, byte[] body, int chunk) {
        var d = ContentDecoder.forEncoding(encoding, limits);
        var out = new ByteArrayOutputStream();
        DecodeVerdict v = null;
        if (body.length == 0) v = d.feed(body, true, out::write);
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            v = d.feed(body, i, n, i + n == body.length, out::write);
            if (!v.ok()) break;
        }
        return new Object[] {v, out.toByteArray()};
    }

    @Test
    void gzipDeflateAndRawDeflateRoundTripInAnyChunking() throws IOException {
        byte[] text = randomText(200_000, 1);
        for (int chunk : new int[] {1, 7, 1000, 1 << 20}) {
            for (var c : new Object[][] {{"gzip", gzip(text)}, {"x-gzip", gzip(text)}, {"deflate", zlib(text, false)}, {"deflate", zlib(text, true)}}) {
                var r = decode((String) c[0], LIMITS, (byte[]) c[1], chunk);
                assertThat(r[0]).as(c[0] + " chunk " + chunk).isInstanceOf(DecodeVerdict.Fine.class);
                assertThat((byte[]) r[1]).isEqualTo(text);
            }
        }
    }

    @Test
    void concatenatedGzipMembersAreOneBody() throws IOException {
        byte[] a = gzip("hello ".getBytes(StandardCharsets.UTF_8));
        byte[] b = gzip("world".getBytes(StandardCharsets.UTF_8));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        var r = ContentDecoder.decodeAll("gzip", LIMITS, both);
        assertThat(r.verdict().ok()).isTrue();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void decodedSizeAtTheCapPassesAndOneByteMoreIsABomb() throws IOException {
        // random text compresses ~1.6x, far below the ratio cap: only the absolute cap applies
        byte[] exact = randomText(1 << 20, 2);
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, gzip(exact)).verdict().ok()).isTrue();
        byte[] over = randomText((1 << 20) + 1, 2);
        var v = ContentDecoder.decodeAll("gzip", LIMITS, gzip(over)).verdict();
        assertThat(v).isInstanceOf(DecodeVerdict.Bomb.class);
        assertThat(((DecodeVerdict.Bomb) v).reason()).isEqualTo("size");
        assertThat(((DecodeVerdict.Bomb) v).decodedBytes()).isEqualTo((1 << 20) + 1);
        // identity bodies have the same cap
        assertThat(ContentDecoder.decodeAll("", LIMITS, exact).verdict().ok()).isTrue();
        assertThat(ContentDecoder.decodeAll(null, LIMITS, over).verdict()).isInstanceOf(DecodeVerdict.Bomb.class);
    }

    @Test
    void ratioAtTheCapPassesAndJustAboveIsABomb() {
        var d = ContentDecoder.forEncoding("gzip", LIMITS);
        long floor = ContentDecoder.RATIO_FLOOR;
        assertThat(d.check(floor, 1)).as("small outputs are exempt").isNull();
        assertThat(d.check(100_000, 1000)).as("exactly 100:1").isNull();
        assertThat(d.check(100_001, 1000)).isInstanceOf(DecodeVerdict.Bomb.class);
        assertThat(((DecodeVerdict.Bomb) d.check(100_001, 1000)).reason()).isEqualTo("ratio");
    }

    @Test
    void aGzipBombStopsEarlyWithoutDecodingEverything() throws IOException {
        // 1 GiB of zeros would gzip to ~1 MiB; build 64 MiB of zeros (~64 KiB gzipped, ratio ~1000:1)
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.write(zeros);
        }
        var big = LIMITS.withMaxBodySize(1L << 30);
        var d = ContentDecoder.forEncoding("gzip", big);
        long[] produced = {0};
        byte[] bomb = out.toByteArray();
        DecodeVerdict v = null;
        for (int i = 0; i < bomb.length; i += 4096) {
            int n = Math.min(4096, bomb.length - i);
            v = d.feed(bomb, i, n, i + n == bomb.length, (b, o, l) -> produced[0] += l);
            if (!v.ok()) break;
        }
        assertThat(v).isInstanceOf(DecodeVerdict.Bomb.class);
        assertThat(((DecodeVerdict.Bomb) v).reason()).isEqualTo("ratio");
        assertThat(produced[0]).isLessThan(8L << 20);
    }

    @Test
    void brotliIsDecodedAndCapped() {
        // RFC 7932 test vector "10x10y" from the brotli repository's tests/testdata (10x10y.compressed)
        byte[] tenXtenY = {(byte) 0x1b, 0x13, 0x00, 0x00, (byte) 0xa4, (byte) 0xb0, (byte) 0xb2, (byte) 0xea, (byte) 0x81, 0x47, 0x02, (byte) 0x8a};
        var r = ContentDecoder.decodeAll("br", LIMITS, tenXtenY);
        assertThat(r.verdict().ok()).isTrue();
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("XXXXXXXXXXYYYYYYYYYY");
        var tiny = LIMITS.withMaxBodySize(19);
        assertThat(ContentDecoder.decodeAll("br", tiny, tenXtenY).verdict()).isInstanceOf(DecodeVerdict.Bomb.class);
        assertThat(ContentDecoder.decodeAll("br", LIMITS.withMaxBodySize(20), tenXtenY).verdict().ok()).isTrue();
        assertThat(ContentDecoder.decodeAll("br", LIMITS, new byte[] {1, 2, 3}).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
    }

    @Test
    void corruptTruncatedAndUnknownEncodingsAreCorruptNotExceptions() throws IOException {
        byte[] gz = gzip(randomText(10_000, 3));
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, Arrays.copyOf(gz, gz.length - 4)).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, Arrays.copyOf(gz, gz.length / 2)).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, badCrc).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, "plain text".getBytes(StandardCharsets.UTF_8)).verdict())
                .isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("deflate", LIMITS, new byte[] {(byte) 0xff, (byte) 0xff, 0, 1}).verdict())
                .isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("compress", LIMITS, gz).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("gzip, br", LIMITS, gz).verdict()).isInstanceOf(DecodeVerdict.Corrupt.class);
        assertThat(ContentDecoder.decodeAll("gzip", LIMITS, new byte[0]).verdict().ok()).isTrue();
        var rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(100)];
            rnd.nextBytes(b);
            if (b.length > 3 && rnd.nextBoolean()) {
                b[0] = 0x1f;
                b[1] = (byte) 0x8b;
                b[2] = 8;
                b[3] = 0;
            }
            for (String enc : new String[] {"gzip", "deflate", "br"}) {
                assertThat(ContentDecoder.decodeAll(enc, LIMITS, b).verdict()).isNotNull();
            }
        }
    }
}
