package io.portcullis.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portcullis.core.config.ApiConfig;
import io.portcullis.gateway.transport.IdleTimeout;
import io.portcullis.gateway.transport.Transports;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * HTTP/1.1 connection pool toward vendors, one set of idle connections per event loop so a lent
 * connection is always driven by the same thread as the app's connection (no cross-thread hand-off).
 *
 * <p>Guarantees: a connection is lent to one exchange at a time; pins are checked after the TLS
 * handshake and before any byte of a request is written; idle pooled connections close after
 * {@code idleSeconds}; at most {@code maxIdlePerTarget} idle connections are kept per target and loop.
 */
public final class UpstreamPool {
    private final int idleSeconds;
    private final int maxIdlePerTarget;
    private final int maxResponseHeaderBytes;
    private final Map<EventLoop, Map<UpstreamTarget, ArrayDeque<UpstreamConnection>>> idle = new ConcurrentHashMap<>();
    /** Connection attempts in progress that may turn out to be HTTP/2, per loop and target: later callers wait for them. */
    private final Map<EventLoop, Map<UpstreamTarget, Promise<String>>> opening = new ConcurrentHashMap<>();
    /** HTTP/2 connections per loop and target; each exchange opens a stream on one of them. */
    private final Map<EventLoop, Map<UpstreamTarget, ArrayDeque<Channel>>> h2 = new ConcurrentHashMap<>();

    public UpstreamPool(int idleSeconds, int maxIdlePerTarget, int maxResponseHeaderBytes) {
        this.idleSeconds = idleSeconds;
        this.maxIdlePerTarget = maxIdlePerTarget;
        this.maxResponseHeaderBytes = maxResponseHeaderBytes;
    }

    /** Lends a connection to {@code listener}: an idle pooled one if any is alive, else a new one. Call on {@code loop}. */
    public Future<UpstreamConnection> acquire(EventLoop loop, UpstreamTarget target, UpstreamConnection.Listener listener) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        var parents = h2.computeIfAbsent(loop, l -> new HashMap<>()).get(target);
        while (parents != null && !parents.isEmpty()) {
            Channel parent = parents.peekLast();
            if (parent.isActive()) {
                openStream(parent, target, listener, promise);
                return promise;
            }
            parents.pollLast();
        }
        var q = idle.computeIfAbsent(loop, l -> new HashMap<>()).get(target);
        while (q != null && !q.isEmpty()) {
            var c = q.pollLast();
            if (c.channel().isActive()) {
                c.lend(listener);
                promise.setSuccess(c);
                return promise;
            }
        }
        var pending = opening.computeIfAbsent(loop, l -> new HashMap<>());
        var inProgress = pending.get(target);
        if (inProgress != null) {
            // a connection that may negotiate HTTP/2 is being opened: share it rather than opening another
            inProgress.addListener(f -> acquire(loop, target, listener).addListener(g -> {
                if (g.isSuccess()) {
                    if (!promise.trySuccess((UpstreamConnection) g.getNow())) ((UpstreamConnection) g.getNow()).channel().close();
                } else {
                    promise.tryFailure(g.cause());
                }
            }));
            return promise;
        }
        if (mayBeHttp2(target)) {
            Promise<String> p = loop.newPromise();
            pending.put(target, p);
            promise.addListener(f -> {
                pending.remove(target, p);
                p.trySuccess(f.isSuccess() ? ((UpstreamConnection) f.getNow()).protocol() : "failed");
            });
        }
        connect(loop, target, listener, promise);
        return promise;
    }

    private static boolean mayBeHttp2(UpstreamTarget t) {
        return t.protocol() == ApiConfig.UpstreamProtocol.HTTP2 || (t.tls() && t.protocol() == ApiConfig.UpstreamProtocol.AUTO);
    }

    /** Takes a connection back without reuse: whatever it still delivers goes nowhere, and it is closed. */
    public void discard(UpstreamConnection c) {
        c.unlend();
        c.channel().close();
    }

    /** Returns a connection after a complete exchange; a connection not reusable must be closed instead. */
    public void release(UpstreamConnection c) {
        c.unlend();
        if (c.isStream()) { // an HTTP/2 stream is used once; the connection it ran on stays shared
            if (c.channel().isActive()) c.channel().close();
            return;
        }
        if (!c.channel().isActive()) return;
        var loop = c.channel().eventLoop();
        var q = idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(c.target(), t -> new ArrayDeque<>());
        if (q.size() >= maxIdlePerTarget) {
            c.channel().close();
            return;
        }
        c.channel().config().setAutoRead(true);
        q.addLast(c);
    }

    private void connect(EventLoop loop, UpstreamTarget target, UpstreamConnection.Listener listener, Promise<UpstreamConnection> promise) {
        var b = new Bootstrap().group(loop).channel(Transports.socketChannelFor(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, Transports.allocator())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (target.tls()) {
                            SslHandler ssl = target.ssl().newHandler(ch.alloc(), target.host(), target.port());
                            ssl.setHandshakeTimeoutMillis(target.connectTimeoutMillis());
                            if (target.verifyHostname()) {
                                SSLEngine engine = ssl.engine();
                                SSLParameters p = engine.getSSLParameters();
                                p.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(p);
                            }
                            ch.pipeline().addLast("ssl", ssl);
                        }
                        ch.pipeline().addLast("idle", new IdleTimeout(target.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
                    }
                });
        b.connect(target.host(), target.port()).addListener((ChannelFutureListener) cf -> {
            if (!cf.isSuccess()) {
                promise.tryFailure(cf.cause());
                return;
            }
            Channel ch = cf.channel();
            if (!target.tls()) {
                // plain http: HTTP/2 only by explicit choice (prior knowledge, "h2c"), else HTTP/1.1
                finish(ch, target, listener, promise, target.protocol() == ApiConfig.UpstreamProtocol.HTTP2 ? "h2" : "http/1.1");
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().addListener(hf -> {
                if (!hf.isSuccess()) {
                    ch.close();
                    promise.tryFailure(hf.cause());
                    return;
                }
                var chain = ssl.engine().getSession().getPeerCertificates();
                if (!SpkiPins.matches(target.pins(), chain)) {
                    ch.close();
                    promise.tryFailure(new PinMismatchException(target.host(), SpkiPins.pinsOf(chain)));
                    return;
                }
                String alpn = ssl.applicationProtocol();
                finish(ch, target, listener, promise, alpn == null ? "http/1.1" : alpn);
            });
        });
    }

    private void finish(Channel ch, UpstreamTarget target, UpstreamConnection.Listener listener, Promise<UpstreamConnection> promise, String protocol) {
        if ("h2".equals(protocol)) {
            ch.pipeline().addBefore("idle", "h2", Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(maxResponseHeaderBytes))
                    .validateHeaders(true).build());
            ch.pipeline().addLast("mux", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRegistered(io.netty.channel.ChannelHandlerContext ctx) {
                    ctx.close(); // vendors may not open streams toward us (no server push)
                }
            }));
            var parents = h2.computeIfAbsent(ch.eventLoop(), l -> new HashMap<>()).computeIfAbsent(target, t -> new ArrayDeque<>());
            parents.addLast(ch);
            ch.closeFuture().addListener(f -> parents.remove(ch));
            openStream(ch, target, listener, promise);
            return;
        }
        ch.pipeline().addBefore("idle", "codec", new HttpClientCodec(8192, maxResponseHeaderBytes, 64 * 1024, true));
        var conn = new UpstreamConnection(target, protocol, false);
        ch.pipeline().addLast("exchange", conn);
        conn.lend(listener);
        if (!promise.trySuccess(conn)) ch.close();
    }

    private void openStream(Channel parent, UpstreamTarget target, UpstreamConnection.Listener listener, Promise<UpstreamConnection> promise) {
        var conn = new UpstreamConnection(target, "h2", true);
        conn.lend(listener);
        new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(false, true));
                ch.pipeline().addLast("idle", new IdleTimeout(target.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
                ch.pipeline().addLast("exchange", conn);
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) promise.tryFailure(f.cause());
            else if (!promise.trySuccess(conn)) conn.channel().close();
        });
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
        for (var loop : h2.entrySet()) {
            loop.getKey().execute(() -> {
                for (var q : loop.getValue().values()) {
                    for (var c : List.copyOf(q)) c.close();
                }
            });
        }
        for (var loop : idle.entrySet()) {
            loop.getKey().execute(() -> {
                for (var q : loop.getValue().values()) {
                    for (var c : q) c.channel().close();
                    q.clear();
                }
            });
        }
    }
}
