package io.portcullis.gateway.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.gateway.transport.Transports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin listener (loopback by default): {@code GET /metrics} in Prometheus text format,
 * {@code GET /healthz} for liveness and {@code GET /status} with the snapshot generation. It shares no
 * threads with the data plane, so a slow scrape never delays an exchange.
 */
public final class AdminServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlerFactory());
    private final Channel channel;

    public AdminServer(String host, int port, GatewayMetrics metrics, Supplier<Map<String, Object>> status) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(4096),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        String path = req.uri();
                                        int q = path.indexOf('?');
                                        if (q >= 0) path = path.substring(0, q);
                                        int code = 200;
                                        String type = "text/plain; version=0.0.4; charset=utf-8";
                                        String body;
                                        switch (path) {
                                            case "/metrics" -> body = metrics.scrape();
                                            case "/healthz" -> body = "ok\n";
                                            case "/status" -> {
                                                type = "application/json";
                                                body = toJson(status.get());
                                            }
                                            default -> {
                                                code = 404;
                                                type = "text/plain";
                                                body = "not found\n";
                                            }
                                        }
                                        byte[] b = body.getBytes(StandardCharsets.UTF_8);
                                        var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(b));
                                        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set(HttpHeaderNames.CONTENT_LENGTH, b.length);
                                        boolean ka = HttpUtil.isKeepAlive(req);
                                        var f = ctx.writeAndFlush(resp);
                                        if (!ka) f.addListener(ChannelFutureListener.CLOSE);
                                    }
                                });
                    }
                }).bind(host, port).sync().channel();
    }

    private static String toJson(Map<String, Object> m) {
        var sb = new StringBuilder("{");
        boolean first = true;
        for (var e : m.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) sb.append(v);
            else sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append("}\n").toString();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
