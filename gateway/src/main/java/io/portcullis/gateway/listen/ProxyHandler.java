package io.portcullis.gateway.listen;

import io.portcullis.core.event.Decision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.portcullis.core.config.ForwardedPolicy;
import io.portcullis.gateway.GatewayRuntime;
import io.portcullis.gateway.credential.ApiCredential;
import io.portcullis.gateway.identity.AppIdentifier;
import io.portcullis.gateway.policy.CredentialPolicy;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.gateway.snapshot.CompiledApi;
import io.portcullis.gateway.snapshot.GatewaySnapshot;
import io.portcullis.gateway.upstream.PinMismatchException;
import io.portcullis.gateway.upstream.UpstreamConnection;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy for one app connection (HTTP/1.1) or one stream (HTTP/2): identifies the app,
 * routes, runs the API's policy chain, relays the exchange to the vendor with streaming bodies and
 * back-pressure in both directions, and reports one event per exchange.
 *
 * <p>Everything runs on the channel's event loop; upstream connections are taken from the same loop,
 * so no state here is shared across threads. Exchanges on an HTTP/1.1 connection run one at a time;
 * pipelined requests wait in a small backlog (reading stops while an exchange runs).
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

    private static final io.netty.util.AsciiString FORWARDED = io.netty.util.AsciiString.cached("forwarded");
    private static final io.netty.util.AsciiString X_FORWARDED_FOR = io.netty.util.AsciiString.cached("x-forwarded-for");
    private static final io.netty.util.AsciiString X_FORWARDED_PROTO = io.netty.util.AsciiString.cached("x-forwarded-proto");
    private static final io.netty.util.AsciiString X_FORWARDED_HOST = io.netty.util.AsciiString.cached("x-forwarded-host");
    private static final io.netty.util.AsciiString X_FORWARDED_PORT = io.netty.util.AsciiString.cached("x-forwarded-port");
    private static final io.netty.util.AsciiString X_REQUEST_ID = io.netty.util.AsciiString.cached("X-Request-Id");
    private static final io.netty.util.AsciiString X_REAL_IP = io.netty.util.AsciiString.cached("x-real-ip");
    private static final String[] OUTCOME_LABELS = java.util.Arrays.stream(io.portcullis.core.event.Decision.Outcome.values())
            .map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    private final GatewayRuntime rt;
    private final boolean stream; // HTTP/2 stream channel
    private final boolean secure;
    private ChannelHandlerContext ctx;
    private Run current;
    /**
     * After answering before the request body was read, the rest of the body is read and dropped ("lingering
     * close"), so the app receives the answer instead of a connection reset; bounded in bytes and time.
     */
    private boolean discardingBody;
    private long discarded;
    private static final long LINGER_MAX_BYTES = 8L << 20;
    private static final long LINGER_MAX_MILLIS = 2000;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    /** Pipelined messages held while an exchange runs before reading stops (each toggle of reading is a syscall). */
    private static final int BACKLOG_PAUSE = 16;

    ProxyHandler(GatewayRuntime rt, boolean stream, boolean secure) {
        this.rt = rt;
        this.stream = stream;
        this.secure = secure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (current != null) {
            if (!current.requestRead) current.onRequestObject(msg);
            else {
                backlog.add(msg);
                if (backlog.size() >= BACKLOG_PAUSE) ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            discardingBody = false;
            HttpRequest head = req;
            HttpContent body = null;
            if (req instanceof FullHttpRequest full) {
                head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
                head.setDecoderResult(full.decoderResult());
                body = new DefaultLastHttpContent(full.content());
            }
            current = new Run(head);
            current.start();
            if (body != null) {
                if (current != null) current.onRequestObject(body);
                else body.release();
            }
        } else if (msg instanceof HttpContent c) {
            // body of a request that was already answered (e.g. refused before its body was read)
            discarded += c.content().readableBytes();
            boolean last = c instanceof LastHttpContent;
            c.release();
            if (discardingBody && (last || discarded > LINGER_MAX_BYTES)) {
                discardingBody = false;
                ctx.close();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null && current.up != null) current.up.channel().flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && current.up != null) current.up.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) current.onDownstreamClosed();
        while (!backlog.isEmpty()) ReferenceCountUtil.release(backlog.poll());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) log.debug("downstream error: {}", cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            if (current == null) ctx.close(); // keep-alive connection idle for too long
            return; // an exchange in flight has its own (vendor-side) timeouts
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void afterExchange(boolean keepAlive) {
        current = null;
        if (!keepAlive) {
            while (!backlog.isEmpty()) ReferenceCountUtil.release(backlog.poll());
            if (discardingBody && ctx.channel().isActive()) { // lingering close: drain the rest of the body
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
            return;
        }
        // pipelined messages, in order: a new exchange takes its own body from the backlog too (it was left
        // there, and the exchange ended on "vendor answered before the app finished sending")
        while (!backlog.isEmpty()) {
            if (current == null) dispatch(backlog.poll());
            else if (!current.requestRead) current.onRequestObject(backlog.poll());
            else break;
        }
        // body writes are flushed at the end of a read (channelReadComplete); these came from the backlog
        if (current != null && current.up != null) current.up.channel().flush();
        if (current == null && ctx.channel().isActive() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private static String newRequestId() {
        var r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    private static final X509Certificate[] NO_CERTIFICATES = new X509Certificate[0];

    private X509Certificate[] clientCertificates() {
        if (!secure) return NO_CERTIFICATES; // cleartext listener: no TLS session to ask
        var ch = stream ? ctx.channel().parent() : ctx.channel();
        SslHandler ssl = ch == null ? null : ch.pipeline().get(SslHandler.class);
        if (ssl == null) return NO_CERTIFICATES;
        try {
            Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
            X509Certificate[] out = new X509Certificate[certs.length];
            for (int i = 0; i < certs.length; i++) out[i] = (X509Certificate) certs[i];
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return NO_CERTIFICATES;
        }
    }

    /** One exchange. */
    private final class Run implements UpstreamConnection.Listener {
        final HttpRequest request;
        final Exchange x;
        final long start = System.nanoTime();
        GatewaySnapshot snap;
        CompiledApi api;
        List<ExchangePolicy> chain = List.of();
        UpstreamConnection up;
        boolean requestRead; // last request content received
        /** HTTP/1.1 request without a body (no Content-Length or 0, no Transfer-Encoding): reading never pauses. */
        final boolean bodyless;
        boolean requestSent; // last request content written upstream
        boolean responseHeadSent;
        boolean responseStarted; // upstream response head received
        boolean skippingInformational;
        boolean responseReceived; // last response content arrived (a body verdict may still be pending)
        boolean finished;
        boolean wholeRequest, wholeResponse;
        boolean keepAlive;
        boolean expectContinue;
        boolean headDone; // request-head phases finished: body chunks may enter the chain
        boolean requestPassed; // the last request chunk passed every request body phase
        boolean deferredHead; // webhook: the head goes upstream only once the whole delivery passed
        final ArrayDeque<HttpContent> earlyBody = new ArrayDeque<>(2);
        long bytesIn, bytesOut;
        final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);
        CompositeByteBuf requestAggregate, responseAggregate;
        ResponseDeadlines.Deadline responseTimer;
        int status;
        // One replay after a vendor 401 that the credential policy can cure (fresh token, DPoP nonce):
        // the body as written upstream is kept up to ApiCredential.REPLAY_BODY_LIMIT.
        CredentialPolicy credentialPolicy;
        boolean keepForReplay; // the API has a credential; false again once the body outgrew the replay limit
        CompositeByteBuf replayBody; // allocated with the first body byte
        boolean replayed;

        Run(HttpRequest request) {
            this.request = request;
            this.bodyless = !stream && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                    && "0".equals(request.headers().get(HttpHeaderNames.CONTENT_LENGTH, "0"));
            this.keepAlive = stream || HttpUtil.isKeepAlive(request);
            this.x = new Exchange(newRequestId(), Instant.now(), start, request, ctx.channel().remoteAddress(), null,
                    stream ? "HTTP/2" : request.protocolVersion().text(), ctx.channel().eventLoop());
        }

        void start() {
            // A request with a body is read as the upstream can take it (back-pressure); one without needs no
            // pause: what follows on the connection is the next request, held in the bounded backlog.
            if (!bodyless) ctx.channel().config().setAutoRead(false);
            DecoderResult dr = request.decoderResult();
            if (dr.isFailure()) {
                Throwable c = dr.cause();
                keepAlive = false;
                if (c instanceof TooLongHttpHeaderException) {
                    reject(Problem.of(431, "header-too-large", "Request Header Fields Too Large", "the request head is larger than the gateway accepts"));
                } else if (c instanceof TooLongHttpLineException) {
                    reject(Problem.of(414, "uri-too-long", "URI Too Long", "the request line is longer than the gateway accepts"));
                } else if (c instanceof TooLongFrameException) {
                    reject(Problem.of(431, "header-too-large", "Request Header Fields Too Large", "the request head is larger than the gateway accepts"));
                } else {
                    String why = c instanceof StrictHttpServerCodec.MalformedHeadException ? c.getMessage() : "malformed HTTP request: " + safe(c.getMessage());
                    reject(Problem.of(400, "malformed-request", "Bad Request", why));
                }
                return;
            }
            snap = rt.snapshot();
            String uri = request.uri();
            if (request.method().equals(HttpMethod.CONNECT)) {
                reject(Problem.of(405, "method-not-allowed", "Method Not Allowed", "CONNECT tunnelling is not offered; call the vendor's route on the gateway"));
                return;
            }
            if (uri.isEmpty() || uri.charAt(0) != '/') {
                reject(Problem.of(400, "malformed-request", "Bad Request", "request target must be a path (origin-form), e.g. /stripe/v1/charges"));
                return;
            }
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            String badPath = PathCheck.problem(path);
            if (badPath != null) {
                reject(Problem.of(400, "malformed-request", "Bad Request", badPath));
                return;
            }
            var hook = snap.routes().find(path);
            if (hook != null && hook.value().webhook()) { // the vendor is the caller: no app identity
                webhookRoute(hook.value(), path, hook.prefixEnd(), q < 0 ? null : uri.substring(q + 1));
                return;
            }
            var certs = clientCertificates();
            snap.identifier().identify(request.headers(), certs).whenComplete((res, err) -> {
                if (ctx.executor().inEventLoop()) afterIdentity(res, err, path, q < 0 ? null : uri.substring(q + 1));
                else ctx.executor().execute(() -> afterIdentity(res, err, path, q < 0 ? null : uri.substring(q + 1)));
            });
        }

        void afterIdentity(AppIdentifier.Result res, Throwable err, String path, String query) {
            if (finished) return;
            if (err != null || res instanceof AppIdentifier.Result.Unidentified) {
                String reason = err != null ? "identity could not be checked" : ((AppIdentifier.Result.Unidentified) res).reason();
                x.decide("identity", Decision.Outcome.DENY, reason);
                reject(Problem.of(401, "unauthenticated", "Unauthorized", reason).withHeader("WWW-Authenticate", "Bearer realm=\"portcullis\""));
                return;
            }
            var id = (AppIdentifier.Result.Identified) res;
            x.app(id.app());
            x.decide("identity", Decision.Outcome.ALLOW, id.method());
            var match = snap.routes().find(path);
            if (match == null) {
                x.decide("route", Decision.Outcome.DENY, "no route");
                reject(Problem.of(404, "no-route", "Not Found", "no vendor API is routed at this path"));
                return;
            }
            api = match.value();
            chain = api.chain();
            x.route(api.config().vendor(), api.config().name(), api.target().host());
            String rest = path.substring(match.prefixEnd());
            x.pathInRoute(rest.isEmpty() ? "/" : rest);
            String target = api.basePath() + (rest.isEmpty() ? (api.basePath().isEmpty() ? "/" : "") : rest) + (query == null ? "" : "?" + query);
            request.setUri(target);
            runRequestHead(0);
        }

        /** A webhook delivery: audited as INBOUND, its route chain verifies the sender, then it goes to the internal service. */
        void webhookRoute(CompiledApi hook, String path, int prefixEnd, String query) {
            x.attribute("direction", "INBOUND");
            api = hook;
            chain = api.chain();
            x.route(api.config().vendor(), api.config().name(), api.target().host());
            String rest = path.substring(prefixEnd);
            x.pathInRoute(rest.isEmpty() ? "/" : rest);
            request.setUri(api.basePath() + (rest.isEmpty() ? (api.basePath().isEmpty() ? "/" : "") : rest) + (query == null ? "" : "?" + query));
            runRequestHead(0);
        }

        void runRequestHead(int i) {
            for (; i < chain.size(); i++) {
                if (finished) return;
                HeadVerdict v;
                try {
                    v = chain.get(i).onRequestHead(x);
                } catch (RuntimeException e) {
                    fail(chain.get(i), e);
                    return;
                }
                if (v instanceof HeadVerdict.Reject r) {
                    reject(r.problem());
                    return;
                }
                if (v instanceof HeadVerdict.Pending p) {
                    final int next = i;
                    p.later().whenComplete((later, err) -> ctx.executor().execute(() -> {
                        if (finished) return;
                        if (err != null) {
                            fail(chain.get(next), err);
                        } else if (later instanceof HeadVerdict.Reject r) {
                            reject(r.problem());
                        } else {
                            runRequestHead(next + 1);
                        }
                    }));
                    return;
                }
            }
            connect();
        }

        void fail(ExchangePolicy p, Throwable e) {
            log.warn("policy {} failed on request {}: {}", p.name(), x.requestId(), e.getClass().getSimpleName());
            x.decide(p.name(), Decision.Outcome.DENY, "policy failed");
            reject(Problem.of(500, "policy-error", "Internal Server Error", "a gateway policy failed; the request was not forwarded"));
        }

        void connect() {
            for (var p : chain) if (p instanceof CredentialPolicy cp) credentialPolicy = cp;
            keepForReplay = credentialPolicy != null;
            wholeRequest = api.needsWholeRequestBody(x);
            wholeResponse = api.needsWholeResponseBody(x);
            if (!api.breaker().tryAcquire()) {
                long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(api.breaker().nanosUntilProbe()) + 1);
                x.decide("circuit-breaker", Decision.Outcome.DENY, "circuit open for " + api.config().id());
                reject(Problem.of(503, "circuit-open", "Service Unavailable", "the vendor API failed repeatedly; calls are paused")
                        .withHeader("Retry-After", Long.toString(wait)));
                return;
            }
            prepareUpstreamHead();
            headDone = true;
            while (!earlyBody.isEmpty() && !finished) {
                HttpContent c = earlyBody.poll();
                boolean wasRead = requestRead;
                requestRead = false;
                onRequestObject(c);
                requestRead = wasRead || requestRead;
            }
            if (finished) return;
            if (expectContinue && !stream && !requestRead) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            }
            if (api.webhook() && !requestPassed) {
                // nothing reaches the internal service before the whole delivery is verified and inspected
                deferredHead = true;
                if (!requestRead) {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                }
                return;
            }
            sendHeadUpstream(this::afterHeadSent);
        }

        void afterHeadSent() {
            while (!pendingBody.isEmpty()) writeUpstream(pendingBody.poll());
            up.channel().flush();
            if (!requestRead) {
                ctx.channel().config().setAutoRead(up.channel().isWritable());
                ctx.read();
            }
        }

        /** Takes a vendor connection, writes the request head to it, starts the response timer, then runs {@code thenBody}. */
        void sendHeadUpstream(Runnable thenBody) {
            Future<UpstreamConnection> f = rt.pool().acquire(ctx.channel().eventLoop(), api.target(), this);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    onConnectFailure(done.cause());
                    return;
                }
                UpstreamConnection c = f.getNow();
                if (finished) {
                    c.channel().close();
                    return;
                }
                up = c; // its idle handler already uses this API's idleTimeout (the pool keys connections by target)
                if (up.isStream()) {
                    request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                    request.headers().set(io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
                            api.target().tls() ? "https" : "http");
                } else {
                    request.headers().remove(io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
                }
                x.attribute(io.portcullis.core.event.ExchangeEvent.UPSTREAM_PROTOCOL, up.protocol());
                up.channel().write(request);
                long timeout = api.config().limits().responseTimeout().toMillis();
                responseTimer = ResponseDeadlines.current().arm(ctx.executor(), timeout, this::onResponseTimeout);
                thenBody.run();
            });
        }

        void prepareUpstreamHead() {
            HttpHeaders h = request.headers();
            expectContinue = HttpUtil.is100ContinueExpected(request);
            boolean chunkedIn = HttpUtil.isTransferEncodingChunked(request);
            long cl = HttpUtil.getContentLength(request, -1L);
            HopByHop.strip(h, stream);
            h.remove(HttpHeaderNames.EXPECT);
            forwarded(h);
            h.set(HttpHeaderNames.HOST, api.hostHeader());
            boolean hasBody = chunkedIn || cl > 0 || (stream && !requestRead) || (stream && cl < 0 && earlyBody.stream().anyMatch(b -> b.content().isReadable()));
            if (wholeRequest) h.remove(HttpHeaderNames.CONTENT_LENGTH);
            if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                // keep the app's length: the body is relayed unchanged
            } else if (hasBody || wholeRequest) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
        }

        String clientAddress() {
            return ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : "unknown";
        }

        void forwarded(HttpHeaders h) {
            ForwardedPolicy p = snap.config().forwarded();
            if (p == ForwardedPolicy.APPEND) {
                String client = clientAddress();
                String prior = h.get("X-Forwarded-For");
                h.set("X-Forwarded-For", prior == null ? client : prior + ", " + client);
                return;
            }
            String origHost = h.get(HttpHeaderNames.HOST);
            h.remove(FORWARDED);
            h.remove(X_FORWARDED_FOR);
            h.remove(X_FORWARDED_PROTO);
            h.remove(X_FORWARDED_HOST);
            h.remove(X_FORWARDED_PORT);
            h.remove(X_REAL_IP);
            if (p == ForwardedPolicy.SET) {
                h.set("X-Forwarded-For", clientAddress());
                h.set("X-Forwarded-Proto", secure ? "https" : "http");
                if (origHost != null) h.set("X-Forwarded-Host", origHost);
            }
        }

        void onConnectFailure(Throwable cause) {
            if (finished) return;
            api.breaker().onFailure();
            if (cause instanceof PinMismatchException pm) {
                x.decide("tls", Decision.Outcome.DENY, "certificate pin mismatch");
                rt.events().securityEvent("PIN_MISMATCH", "high", x.vendor(), x.api(), x.app(),
                        "certificate of " + api.target().host() + " matches no configured pin",
                        Map.of("actualPins", String.join(" ", pm.actualPins()), "host", api.target().host()));
                reject(Problem.of(502, "pin-mismatch", "Bad Gateway", "the vendor's certificate does not match the pinned keys"));
            } else if (cause instanceof io.netty.channel.ConnectTimeoutException || cause instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
                reject(Problem.of(504, "upstream-timeout", "Gateway Timeout", "connecting to the vendor timed out"));
            } else if (cause instanceof SSLException) {
                x.decide("tls", Decision.Outcome.DENY, "TLS handshake failed");
                reject(Problem.of(502, "upstream-tls", "Bad Gateway", "the TLS handshake with the vendor failed the TLS policy: " + safe(rootMessage(cause))));
            } else if (cause instanceof ConnectException) {
                reject(Problem.of(502, "upstream-unreachable", "Bad Gateway", "the vendor refused the connection"));
            } else {
                reject(Problem.of(502, "upstream-error", "Bad Gateway", "could not connect to the vendor"));
            }
        }

        void onRequestObject(Object msg) {
            if (!(msg instanceof HttpContent c)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            boolean last = c instanceof LastHttpContent;
            if (last) {
                requestRead = true;
                if (!stream && !bodyless) ctx.channel().config().setAutoRead(false); // next request waits until this one is done
            }
            if (finished) {
                c.release();
                return;
            }
            if (!headDone) { // head phases still deciding: keep the chunk, in order, for later
                earlyBody.add(c);
                return;
            }
            bytesIn += c.content().readableBytes();
            ByteBuf data = c.content();
            if (wholeRequest) {
                if (requestAggregate == null) requestAggregate = ctx.alloc().compositeBuffer(1024);
                if (requestAggregate.readableBytes() + data.readableBytes() > api.config().limits().maxRequestBodyBytes()) {
                    c.release();
                    reject(Problem.of(413, "body-too-large", "Content Too Large", "request body larger than " + api.config().limits().maxRequestBodyBytes() + " bytes"));
                    return;
                }
                requestAggregate.addComponent(true, data);
                if (!last) return;
                data = requestAggregate;
                requestAggregate = null;
            }
            runRequestBody(0, data, last);
        }

        /** Runs request body phases from policy {@code i} on; a {@link BodyVerdict.Pending} (last chunk only) resumes here later. */
        void runRequestBody(int i, ByteBuf out, boolean last) {
            for (; i < chain.size(); i++) {
                ExchangePolicy p = chain.get(i);
                BodyVerdict v;
                try {
                    v = p.onRequestBody(x, out, last);
                } catch (RuntimeException e) {
                    ReferenceCountUtil.safeRelease(out);
                    fail(p, e);
                    return;
                }
                if (v instanceof BodyVerdict.Reject r) {
                    reject(r.problem());
                    return;
                }
                if (v instanceof BodyVerdict.Pending pending) {
                    if (!last) {
                        fail(p, new IllegalStateException("Pending verdict on a non-last chunk"));
                        return;
                    }
                    final int next = i + 1;
                    pending.later().whenComplete((later, err) -> ctx.executor().execute(() -> {
                        if (finished) {
                            if (later instanceof BodyVerdict.Pass lp) ReferenceCountUtil.safeRelease(lp.out());
                            return;
                        }
                        if (err != null || later == null || later instanceof BodyVerdict.Pending) {
                            fail(p, err != null ? err : new IllegalStateException("bad pending verdict"));
                        } else if (later instanceof BodyVerdict.Reject r) {
                            reject(r.problem());
                        } else {
                            runRequestBody(next, ((BodyVerdict.Pass) later).out(), true);
                        }
                    }));
                    return;
                }
                out = ((BodyVerdict.Pass) v).out();
            }
            HttpContent next = last ? new DefaultLastHttpContent(out) : new DefaultHttpContent(out);
            if (last) requestPassed = true;
            if (deferredHead && last) {
                deferredHead = false;
                pendingBody.add(next);
                if (!stream) ctx.channel().config().setAutoRead(false);
                sendHeadUpstream(this::afterHeadSent);
                return;
            }
            if (up == null) pendingBody.add(next);
            else {
                writeUpstream(next);
                if (!up.channel().isWritable()) ctx.channel().config().setAutoRead(false);
            }
        }

        void writeUpstream(HttpContent c) {
            if (c instanceof LastHttpContent) requestSent = true;
            ByteBuf b = c.content();
            if (keepForReplay && b.isReadable()) {
                int kept = replayBody == null ? 0 : replayBody.readableBytes();
                if (kept + b.readableBytes() <= ApiCredential.REPLAY_BODY_LIMIT) {
                    if (replayBody == null) replayBody = ctx.alloc().compositeBuffer(16);
                    replayBody.addComponent(true, b.retainedSlice());
                } else {
                    keepForReplay = false; // too large to replay: a vendor 401 then reaches the app
                    if (replayBody != null) replayBody.release();
                    replayBody = null;
                }
            }
            up.channel().write(c);
        }

        /** After a curable vendor 401: drop that response, re-attach the credential and send the kept request again. */
        boolean replayIfRequested(HttpResponse r) {
            if (replayed || !keepForReplay || !requestSent || CredentialPolicy.retryRequested(x).isEmpty()) return false;
            replayed = true; // the caller releases r's content, if it has any
            rt.pool().discard(up);
            up = null;
            responseStarted = false;
            status = 0;
            x.response(null);
            HeadVerdict v = credentialPolicy.onRequestHead(x);
            handleReplayHead(v);
            return true;
        }

        void handleReplayHead(HeadVerdict v) {
            if (finished) return;
            if (v instanceof HeadVerdict.Reject r) {
                reject(r.problem());
            } else if (v instanceof HeadVerdict.Pending p) {
                p.later().whenComplete((later, err) -> ctx.executor().execute(() -> {
                    if (err != null) fail(credentialPolicy, err);
                    else handleReplayHead(later);
                }));
            } else {
                sendHeadUpstream(() -> up.channel().writeAndFlush(replayBody == null ? LastHttpContent.EMPTY_LAST_CONTENT
                        : new DefaultLastHttpContent(replayBody.retainedDuplicate())));
            }
        }

        // ---- upstream side ----

        @Override
        public void onUpstreamObject(HttpObject o) {
            if (finished) {
                ReferenceCountUtil.release(o);
                return;
            }
            if (o.decoderResult().isFailure()) {
                ReferenceCountUtil.release(o);
                upstreamBroke("the vendor sent a malformed or truncated response");
                return;
            }
            if (o instanceof HttpResponse r) {
                if (r.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                    skippingInformational = true;
                } else {
                    skippingInformational = false;
                    if (onResponseHead(r)) { // replaced by a replay: this response goes nowhere
                        if (o instanceof HttpContent c) c.release();
                        return;
                    }
                }
            }
            if (o instanceof HttpContent c) {
                if (skippingInformational) {
                    c.release();
                    if (c instanceof LastHttpContent) skippingInformational = false;
                    return;
                }
                onResponseContent(c);
            }
        }

        /** Returns true when the response was dropped in favour of a replay. */
        boolean onResponseHead(HttpResponse r) {
            responseStarted = true;
            if (responseTimer != null) responseTimer.disarm();
            int code = r.status().code();
            if (code == 502 || code == 503 || code == 504) api.breaker().onFailure();
            else api.breaker().onSuccess();
            x.response(r);
            status = code;
            String deprecation = r.headers().get("Deprecation"), sunset = r.headers().get("Sunset");
            if (deprecation != null) x.attribute("response.deprecation", deprecation.length() > 64 ? deprecation.substring(0, 64) : deprecation);
            if (sunset != null) x.attribute("response.sunset", sunset.length() > 64 ? sunset.substring(0, 64) : sunset);
            for (int i = chain.size() - 1; i >= 0; i--) {
                HeadVerdict v;
                try {
                    v = chain.get(i).onResponseHead(x);
                } catch (RuntimeException e) {
                    fail(chain.get(i), e);
                    return false;
                }
                if (v instanceof HeadVerdict.Reject rej) {
                    reject(rej.problem());
                    return false;
                }
            }
            if (replayIfRequested(r)) return true;
            if (!wholeResponse) wholeResponse = api.needsWholeResponseBody(x); // asked again now that the response head is known
            if (!wholeResponse) sendResponseHead(r);
            return false;
        }

        void sendResponseHead(HttpResponse r) {
            HttpResponse out = new DefaultHttpResponse(responseVersion(), r.status(), r.headers());
            HttpHeaders h = out.headers();
            boolean hadLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
            HopByHop.strip(h, up != null && up.isStream());
            h.set(X_REQUEST_ID, x.requestId());
            if (!stream) {
                boolean bodyless = request.method().equals(HttpMethod.HEAD) || r.status().code() == 204 || r.status().code() == 304;
                if (!hadLength && !bodyless) {
                    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    else keepAlive = false; // HTTP/1.0 client: delimit by close
                }
                if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            responseHeadSent = true;
            ctx.write(out);
        }

        void onResponseContent(HttpContent c) {
            boolean last = c instanceof LastHttpContent;
            ByteBuf data = c.content();
            bytesOut += data.readableBytes();
            long max = api.config().limits().maxResponseBodyBytes();
            if (bytesOut > max) {
                c.release();
                x.decide("response-limits", Decision.Outcome.DENY, "response body larger than " + max + " bytes");
                if (!responseHeadSent) reject(Problem.of(502, "response-too-large", "Bad Gateway", "the vendor's response is larger than " + max + " bytes"));
                else abort("response body larger than " + max + " bytes");
                return;
            }
            if (wholeResponse) {
                if (responseAggregate == null) responseAggregate = ctx.alloc().compositeBuffer(1024);
                responseAggregate.addComponent(true, data);
                if (!last) return;
                data = responseAggregate;
                responseAggregate = null;
            }
            if (last) responseReceived = true;
            runResponseBody(chain.size() - 1, data, last);
        }

        /** Runs response body phases from policy {@code i} down; a {@link BodyVerdict.Pending} (last chunk only) resumes here later. */
        void runResponseBody(int i, ByteBuf out, boolean last) {
            for (; i >= 0; i--) {
                BodyVerdict v;
                try {
                    v = chain.get(i).onResponseBody(x, out, last);
                } catch (RuntimeException e) {
                    ReferenceCountUtil.safeRelease(out);
                    if (!responseHeadSent) fail(chain.get(i), e);
                    else abort("policy failed");
                    return;
                }
                if (v instanceof BodyVerdict.Reject r) {
                    if (!responseHeadSent) reject(r.problem());
                    else abort(r.problem().detail());
                    return;
                }
                if (v instanceof BodyVerdict.Pending pending) {
                    ExchangePolicy p = chain.get(i);
                    if (!last) {
                        if (!responseHeadSent) fail(p, new IllegalStateException("Pending verdict on a non-last chunk"));
                        else abort("policy failed");
                        return;
                    }
                    final int next = i - 1;
                    pending.later().whenComplete((later, err) -> ctx.executor().execute(() -> {
                        if (finished) {
                            if (later instanceof BodyVerdict.Pass lp) ReferenceCountUtil.safeRelease(lp.out());
                            return;
                        }
                        if (err != null || later == null || later instanceof BodyVerdict.Pending) {
                            if (!responseHeadSent) fail(p, err != null ? err : new IllegalStateException("bad pending verdict"));
                            else abort("policy failed");
                        } else if (later instanceof BodyVerdict.Reject r) {
                            if (!responseHeadSent) reject(r.problem());
                            else abort(r.problem().detail());
                        } else {
                            runResponseBody(next, ((BodyVerdict.Pass) later).out(), true);
                        }
                    }));
                    return;
                }
                out = ((BodyVerdict.Pass) v).out();
            }
            if (!responseHeadSent) {
                x.response().headers().set(HttpHeaderNames.CONTENT_LENGTH, out.readableBytes());
                x.response().headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                sendResponseHead(x.response());
            }
            if (last) {
                complete(ctx.writeAndFlush(new DefaultLastHttpContent(out)));
            } else {
                ctx.write(new DefaultHttpContent(out));
                if (!ctx.channel().isWritable()) up.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void onUpstreamError(Throwable cause) {
            if (finished) return;
            if (responseReceived) { dropUp(); return; }
            upstreamBroke("vendor connection failed: " + safe(rootMessage(cause)));
        }

        @Override
        public void onUpstreamClosed() {
            if (finished) return;
            if (responseReceived) { dropUp(); return; }
            upstreamBroke("vendor closed the connection");
        }

        void upstreamBroke(String why) {
            up = closeUp();
            if (!responseStarted) {
                api.breaker().onFailure();
                reject(Problem.of(502, "upstream-error", "Bad Gateway", why));
            } else if (!responseHeadSent) {
                reject(Problem.of(502, "upstream-error", "Bad Gateway", why));
            } else {
                abort(why);
            }
        }

        @Override
        public void onUpstreamWritable(boolean writable) {
            if (!requestRead && !finished) {
                ctx.channel().config().setAutoRead(writable);
                if (writable) ctx.read();
            }
        }

        @Override
        public void onUpstreamReadComplete() {
            ctx.flush();
        }

        @Override
        public void onUpstreamIdle() {
            if (finished) return;
            if (responseReceived) { dropUp(); return; }
            up = closeUp();
            if (!responseHeadSent) {
                if (!responseStarted) api.breaker().onFailure();
                reject(Problem.of(504, "upstream-timeout", "Gateway Timeout", "no data from the vendor for " + api.config().limits().idleTimeout().toSeconds() + "s"));
            } else {
                abort("vendor idle timeout");
            }
        }

        void onResponseTimeout() {
            if (finished || responseStarted) return;
            up = closeUp();
            api.breaker().onFailure();
            reject(Problem.of(504, "upstream-timeout", "Gateway Timeout", "the vendor did not answer within " + api.config().limits().responseTimeout().toMillis() + "ms"));
        }

        /** The vendor connection ended after its whole response arrived (a verdict is pending): just let it go. */
        void dropUp() {
            if (up != null) up.channel().close();
            up = null;
        }

        UpstreamConnection closeUp() {
            if (up != null) up.channel().close();
            return null;
        }

        // ---- endings ----

        HttpVersion responseVersion() {
            boolean http10 = !stream && request.decoderResult().isSuccess() && request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            return http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        }

        void reject(Problem p) {
            if (finished) return;
            if (responseHeadSent) {
                abort(p.detail());
                return;
            }
            status = p.status();
            byte[] body = p.toJson(x.requestId());
            var resp = new DefaultFullHttpResponse(responseVersion(), HttpResponseStatus.valueOf(p.status()),
                    Unpooled.wrappedBuffer(body));
            HttpHeaders h = resp.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            h.set(X_REQUEST_ID, x.requestId());
            for (var e : p.headers().entrySet()) h.set(e.getKey(), e.getValue());
            if (!requestRead) {
                keepAlive = false; // the rest of the body would be read as a new request otherwise
                if (!stream) discardingBody = true;
            }
            if (!stream && !keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (up != null && !(requestSent && responseStarted)) up = closeUp();
            metricsDecisions();
            responseHeadSent = true;
            bytesOut = body.length;
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive && !stream) {
                if (discardingBody) {
                    discarded = 0;
                    ctx.executor().schedule(() -> ctx.close(), LINGER_MAX_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            }
            end(null);
        }

        void complete(io.netty.channel.ChannelFuture lastWrite) {
            if (!requestRead && !stream) keepAlive = false; // the vendor answered before the app finished sending
            if (!stream && !keepAlive) lastWrite.addListener(ChannelFutureListener.CLOSE);
            metricsDecisions();
            end(null);
        }

        void abort(String why) {
            if (finished) return;
            x.decide("proxy", Decision.Outcome.DENY, why);
            closeUp();
            up = null;
            ctx.channel().close();
            keepAlive = false;
            metricsDecisions();
            end(why);
        }

        void onDownstreamClosed() {
            if (finished) return;
            up = closeUp();
            keepAlive = false;
            if (status == 0) status = 499;
            metricsDecisions();
            end("app closed the connection");
        }

        void metricsDecisions() {
            for (var d : x.decisions()) rt.metrics().decision(d.policy(), OUTCOME_LABELS[d.outcome().ordinal()]);
        }

        void end(String error) {
            finished = true;
            if (responseTimer != null) responseTimer.disarm();
            while (!pendingBody.isEmpty()) pendingBody.poll().release();
            while (!earlyBody.isEmpty()) earlyBody.poll().release();
            if (requestAggregate != null) requestAggregate.release();
            if (replayBody != null) replayBody.release();
            replayBody = null;
            if (responseAggregate != null) responseAggregate.release();
            requestAggregate = responseAggregate = null;
            if (up != null) {
                boolean reusable = requestSent && responseStarted && HttpUtil.isKeepAlive(x.response()) && up.channel().isActive();
                if (reusable) rt.pool().release(up);
                else up.channel().close();
                up = null;
            }
            for (ExchangePolicy p : chain) {
                try {
                    p.onComplete(x);
                } catch (RuntimeException e) {
                    log.warn("policy {} failed in onComplete: {}", p.name(), e.getClass().getSimpleName());
                }
            }
            long dur = System.nanoTime() - start;
            rt.metrics().exchange(x.app(), x.vendor(), x.api(), status, dur);
            rt.events().exchangeCompleted(x, status, bytesIn, bytesOut, dur, error);
            afterExchange(keepAlive && requestRead);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** Trims library messages to one short line; they never carry request data or secrets. */
    static String safe(String s) {
        if (s == null) return "";
        s = s.replace('\n', ' ').replace('\r', ' ');
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }
}
