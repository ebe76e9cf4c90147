package io.portcullis.gateway.listen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.portcullis.core.config.ListenConfig;
import io.portcullis.gateway.GatewayRuntime;
import io.portcullis.gateway.transport.IdleTimeout;
import io.portcullis.gateway.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The app-facing listeners: cleartext (HTTP/1.1, and HTTP/2 with prior knowledge, "h2c") and TLS
 * (HTTP/1.1 or h2 chosen by ALPN, optional client certificates for mTLS app identity).
 */
public final class GatewayServer implements AutoCloseable {
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final GatewayRuntime rt;
    private final ListenConfig listen;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel plain;
    private Channel tls;

    public GatewayServer(GatewayRuntime rt, ListenConfig listen, int workerThreads) {
        this.rt = rt;
        this.listen = listen;
        this.boss = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlerFactory());
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, Transports.ioHandlerFactory());
    }

    public GatewayServer start() throws IOException, InterruptedException {
        plain = bind(listen.host(), listen.port(), null);
        if (listen.tls().isPresent()) {
            var t = listen.tls().get();
            var b = SslContextBuilder.forServer(t.certificate().toFile(), t.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            if (t.clientCa().isPresent()) {
                b.trustManager(t.clientCa().get().toFile()).clientAuth(t.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            tls = bind(t.host(), t.port(), b.build());
        }
        return this;
    }

    private Channel bind(String host, int port, SslContext ssl) throws InterruptedException {
        var sb = new ServerBootstrap().group(boss, workers).channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, Transports.allocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // idle from the first byte: a client that connects and sends nothing (or stalls its TLS
                        // handshake) is disconnected too; until a protocol is chosen nothing else is in flight
                        ch.pipeline().addLast("idle", new IdleTimeout(listen.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("idle-before-protocol", new CloseOnIdle());
                        if (ssl == null) {
                            ch.pipeline().addLast("detect", new PrefaceDetector());
                        } else {
                            ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc()));
                            ch.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                                @Override
                                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) http2(ctx.pipeline(), true);
                                    else http1(ctx.pipeline(), true);
                                }
                            });
                        }
                    }
                });
        return sb.bind(host, port).sync().channel();
    }

    void http1(ChannelPipeline p, boolean secure) {
        if (p.get("idle-before-protocol") != null) p.remove("idle-before-protocol"); // the proxy handles idleness now
        p.addLast("codec", new StrictHttpServerCodec(listen.maxInitialLineBytes(), listen.maxHeaderBytes()));
        p.addLast("proxy", new ProxyHandler(rt, false, secure));
    }

    void http2(ChannelPipeline p, boolean secure) {
        var settings = Http2Settings.defaultSettings().maxHeaderListSize(listen.maxHeaderBytes()).maxConcurrentStreams(256);
        if (p.get("idle-before-protocol") != null) p.remove("idle-before-protocol");
        var codec = Http2FrameCodecBuilder.forServer().initialSettings(settings).validateHeaders(true).build();
        p.addLast("h2", codec);
        p.addLast("idle-close", new CloseOnIdle(() -> codec.connection().numActiveStreams() == 0)); // GOAWAY when no stream runs
        p.addLast("mux", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, true));
                ch.pipeline().addLast(new ProxyHandler(rt, true, secure));
            }
        }));
    }

    /** Closes the connection on an idle event when {@code quiet} says nothing is in flight. */
    private static final class CloseOnIdle extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final java.util.function.BooleanSupplier quiet;

        CloseOnIdle() {
            this(() -> true);
        }

        CloseOnIdle(java.util.function.BooleanSupplier quiet) {
            this.quiet = quiet;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
                if (quiet.getAsBoolean()) ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /** On a cleartext connection, chooses HTTP/2 when the client opens with the h2 preface, else HTTP/1.1. */
    private final class PrefaceDetector extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), H2_PREFACE.length);
            for (int i = 0; i < n; i++) {
                if (in.getByte(in.readerIndex() + i) != H2_PREFACE[i]) {
                    http1(ctx.pipeline(), false);
                    ctx.pipeline().remove(this);
                    return;
                }
            }
            if (n < H2_PREFACE.length) return; // undecided: wait for more bytes
            http2(ctx.pipeline(), false);
            ctx.pipeline().remove(this);
        }
    }

    public int port() {
        return ((InetSocketAddress) plain.localAddress()).getPort();
    }

    public int tlsPort() {
        return tls == null ? -1 : ((InetSocketAddress) tls.localAddress()).getPort();
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (plain != null) plain.close().syncUninterruptibly();
        if (tls != null) tls.close().syncUninterruptibly();
        rt.pool().closeIdle();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

}
