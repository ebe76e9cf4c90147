package io.portcullis.gateway.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport: Linux's native epoll when Netty's native library loads (fewer copies and
 * syscalls than the JDK selector, measured in {@code bench/proxy.sh}), the JDK's NIO otherwise.
 * {@code -Dportcullis.transport=nio} forces NIO. Every channel that lives on a gateway event loop
 * (listeners, upstream connections) must use the channel class that matches that loop.
 */
public final class Transports {
    private static final boolean EPOLL = !"nio".equalsIgnoreCase(System.getProperty("portcullis.transport", ""))
            && Epoll.isAvailable();

    private Transports() {}

    /** {@code epoll} or {@code nio}: for the startup log line. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * The buffer allocator of gateway channels: Netty's pooled allocator with per-thread caches. Netty 4.2's
     * default (adaptive) copies every header name and value through a duplicated NIO buffer when encoding,
     * which showed as the largest single cost of relaying small responses; {@code -Dportcullis.allocator=adaptive}
     * keeps Netty's default.
     */
    public static io.netty.buffer.ByteBufAllocator allocator() {
        return ALLOCATOR;
    }

    private static final io.netty.buffer.ByteBufAllocator ALLOCATOR =
            "adaptive".equalsIgnoreCase(System.getProperty("portcullis.allocator", ""))
                    ? io.netty.buffer.ByteBufAllocator.DEFAULT : io.netty.buffer.PooledByteBufAllocator.DEFAULT;

    /** The client socket class for a connection that will live on {@code loop}. */
    public static Class<? extends SocketChannel> socketChannelFor(EventLoop loop) {
        if (loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)) return EpollSocketChannel.class;
        return NioSocketChannel.class;
    }
}
