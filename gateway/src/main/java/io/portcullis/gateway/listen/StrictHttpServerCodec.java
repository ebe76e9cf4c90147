package io.portcullis.gateway.listen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * HTTP/1.1 server codec that refuses the request shapes used for smuggling and desync before Netty's
 * lenient parser can normalise them: obs-fold continuation lines, bare CR and bare LF in the request
 * head. (Netty itself already rejects Content-Length together with Transfer-Encoding, non-final
 * chunked codings and duplicate Content-Length values; those arrive as decoder failures.)
 *
 * <p>Written by hand because Netty folds obs-fold lines silently and offers no hook to refuse them.
 * The check runs once per request head: the decoder waits until the whole head is buffered (bounded by
 * the header limits), scans it, and only then lets Netty parse it.
 */
final class StrictHttpServerCodec extends CombinedChannelDuplexHandler<StrictHttpServerCodec.Decoder, StrictHttpServerCodec.Encoder> {
    /** Why a head was refused; carried in the failed message's decoder result. */
    static final class MalformedHeadException extends IllegalArgumentException {
        MalformedHeadException(String message) {
            super(message);
        }
    }

    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();

    StrictHttpServerCodec(int maxInitialLine, int maxHeaderBytes) {
        var config = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLine)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setValidateHeaders(true);
        init(new Decoder(config, maxInitialLine + maxHeaderBytes + 4, methods), new Encoder(methods));
    }

    static final class Decoder extends HttpRequestDecoder {
        private final int maxHead;
        private final ArrayDeque<HttpMethod> methods;
        private boolean atMessageStart = true;

        Decoder(HttpDecoderConfig config, int maxHead, ArrayDeque<HttpMethod> methods) {
            super(config);
            this.maxHead = maxHead;
            this.methods = methods;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (atMessageStart) {
                int verdict = scanHead(buffer);
                if (verdict == INCOMPLETE) return; // wait for the rest of the head
                if (verdict != OK) {
                    String why = verdict == OBS_FOLD ? "obsolete line folding (obs-fold) in the request head"
                            : verdict == BARE_CR ? "a bare CR in the request head" : "a bare LF in the request head";
                    buffer.skipBytes(buffer.readableBytes());
                    var msg = createInvalidMessage();
                    msg.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new MalformedHeadException(why)));
                    out.add(msg);
                    atMessageStart = false;
                    return;
                }
            }
            super.decode(ctx, buffer, out);
            for (Object o : out) {
                if (o instanceof HttpRequest r) {
                    atMessageStart = false;
                    methods.add(r.method());
                }
                if (o instanceof LastHttpContent) atMessageStart = true;
            }
        }

        static final int OK = 0, INCOMPLETE = 1, OBS_FOLD = 2, BARE_CR = 3, BARE_LF = 4;

        /** Scans the head starting at the reader index; OK once a complete CRLFCRLF-terminated head was seen clean. */
        private int scanHead(ByteBuf b) {
            int start = b.readerIndex(), end = b.writerIndex();
            int i = start;
            while (i + 1 < end && b.getByte(i) == '\r' && b.getByte(i + 1) == '\n') i += 2; // tolerated leading CRLFs
            int limit = Math.min(end, i + maxHead);
            for (; i < limit; i++) {
                byte c = b.getByte(i);
                if (c == '\r') {
                    if (i + 1 >= end) return INCOMPLETE;
                    if (b.getByte(i + 1) != '\n') return BARE_CR;
                    // CRLF at i
                    if (i + 2 >= end) return INCOMPLETE;
                    byte next = b.getByte(i + 2);
                    if (next == '\r') {
                        if (i + 3 >= end) return INCOMPLETE;
                        return b.getByte(i + 3) == '\n' ? OK : BARE_CR;
                    }
                    if (next == ' ' || next == '\t') return OBS_FOLD; // folded header, or whitespace before the first header
                    i++;
                } else if (c == '\n') {
                    return BARE_LF;
                }
            }
            // No end of head within the limit: let Netty parse and report the size problem (431/414).
            return end - start >= maxHead ? OK : INCOMPLETE;
        }
    }

    static final class Encoder extends HttpResponseEncoder {
        private final ArrayDeque<HttpMethod> methods;
        private HttpMethod current;

        Encoder(ArrayDeque<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            int code = msg.status().code();
            if (code >= 200 || code == 101) current = methods.poll();
            return HttpMethod.HEAD.equals(current) || super.isContentAlwaysEmpty(msg);
        }
    }
}
