package io.portcullis.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
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

    public UpstreamPool(int idleSeconds, int maxIdlePerTarget, int maxResponseHeaderBytes) {
        this.idleSeconds = idleSeconds;
        this.maxIdlePerTarget = maxIdlePerTarget;
        this.maxResponseHeaderBytes = maxResponseHeaderBytes;
    }

    /** Lends a connection to {@code listener}: an idle pooled one if any is alive, else a new one. Call on {@code loop}. */
    public Future<UpstreamConnection> acquire(EventLoop loop, UpstreamTarget target, UpstreamConnection.Listener listener) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        var q = idle.computeIfAbsent(loop, l -> new HashMap<>()).get(target);
        while (q != null && !q.isEmpty()) {
            var c = q.pollLast();
            if (c.channel().isActive()) {
                c.lend(listener);
                promise.setSuccess(c);
                return promise;
            }
        }
        connect(loop, target, listener, promise);
        return promise;
    }

    /** Returns a connection after a complete exchange; a connection not reusable must be closed instead. */
    public void release(UpstreamConnection c) {
        c.unlend();
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
        var b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
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
                        ch.pipeline().addLast("codec", new HttpClientCodec(8192, maxResponseHeaderBytes, 64 * 1024, true));
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
                    }
                });
        b.connect(target.host(), target.port()).addListener((ChannelFutureListener) cf -> {
            if (!cf.isSuccess()) {
                promise.tryFailure(cf.cause());
                return;
            }
            Channel ch = cf.channel();
            if (!target.tls()) {
                finish(ch, target, listener, promise, "http/1.1");
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
        var conn = new UpstreamConnection(target, protocol);
        ch.pipeline().addLast("exchange", conn);
        conn.lend(listener);
        if (!promise.trySuccess(conn)) ch.close();
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
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
