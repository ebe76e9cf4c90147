package io.portcullis.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class in which Netty reported a leaked buffer. Registered for every test class by
 * JUnit's extension auto-detection (see {@code junit-platform.properties}).
 */
public final class NettyLeakGuard implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // Leaks are reported when a leaked buffer is collected and a later allocation polls the queue.
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        if (!FailingLeakDetector.LEAKS.isEmpty()) {
            var leaks = String.join("\n\n", FailingLeakDetector.LEAKS);
            FailingLeakDetector.LEAKS.clear();
            throw new AssertionError("Netty reported leaked buffers:\n" + leaks);
        }
    }
}
