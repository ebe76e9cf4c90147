package io.portcullis.gateway.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/1.1 connection to a vendor, lent to one exchange at a time. Responses and events are handed
 * to the current {@link Listener}; with none (idle in the pool), an idle timeout or any inbound data
 * closes the connection.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    /** Receives what the vendor sends while the connection is lent out. Called on the channel's event loop. */
    public interface Listener {
        void onUpstreamObject(HttpObject msg);

        void onUpstreamError(Throwable cause);

        void onUpstreamClosed();

        void onUpstreamWritable(boolean writable);

        void onUpstreamIdle();

        /** The vendor's bytes of one read were all handed over: a good moment to flush toward the app. */
        void onUpstreamReadComplete();
    }

    private final UpstreamTarget target;
    private final String negotiatedProtocol;
    private final boolean stream;
    private Channel channel;
    private Listener listener;
    private int uses;

    UpstreamConnection(UpstreamTarget target, String negotiatedProtocol, boolean stream) {
        this.target = target;
        this.negotiatedProtocol = negotiatedProtocol;
        this.stream = stream;
    }

    /** True for one HTTP/2 stream on a shared connection (used once), false for a pooled HTTP/1.1 connection. */
    public boolean isStream() {
        return stream;
    }

    public UpstreamTarget target() {
        return target;
    }

    public Channel channel() {
        return channel;
    }

    public String protocol() {
        return negotiatedProtocol;
    }

    /** How many exchanges used this connection before the current one (0 = fresh connection). */
    public int reuses() {
        return uses - 1;
    }

    void lend(Listener l) {
        this.listener = l;
        uses++;
    }

    void unlend() {
        this.listener = null;
    }

    boolean idle() {
        return listener == null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        var l = listener;
        if (l == null || !(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            ctx.close(); // unsolicited data on an idle connection: it can no longer be trusted for framing
            return;
        }
        l.onUpstreamObject(o);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        var l = listener;
        if (l != null) l.onUpstreamReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        var l = listener;
        ctx.close();
        if (l != null) l.onUpstreamError(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        var l = listener;
        listener = null;
        if (l != null) l.onUpstreamClosed();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        var l = listener;
        if (l != null) l.onUpstreamWritable(ctx.channel().isWritable());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            var l = listener;
            if (l == null) ctx.close();
            else l.onUpstreamIdle();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }
}
