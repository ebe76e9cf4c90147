package io.portcullis.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves the build really fails on leaks: the custom detector is installed at PARANOID and records a planted leak. */
class LeakDetectorWiringTest {
    @Test
    void leakDetectorIsParanoidAndRecordsALeakedBuffer() throws Exception {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        leakOne();
        for (int round = 0; round < 20 && FailingLeakDetector.LEAKS.isEmpty(); round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++) PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        }
        assertThat(FailingLeakDetector.LEAKS).isNotEmpty();
        FailingLeakDetector.LEAKS.clear(); // planted on purpose; NettyLeakGuard must not fail this class
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(42);
    }
}
