package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload streams through the gateway in bounded memory: Netty's buffer memory and the JVM heap
 * stay far below the body size while it passes (back-pressure from the vendor reaches the app).
 */
class StreamingTest {
    @TempDir Path dir;

    static final long GIB = 1L << 30;

    @Test
    void oneGibUploadPassesInBoundedMemory() throws Exception {
        try (var vendor = new TestVendor(null).countOnly();
             var gw = new TestGateway(dir, TestGateway.oneLoopbackApi(vendor.port(), "        limits: {maxRequestBody: 2GiB, responseTimeout: 120s}"))) {
            var alloc = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            var heap = ManagementFactory.getMemoryMXBean();
            var peakNetty = new AtomicLong();
            var peakHeap = new AtomicLong();
            var running = new AtomicBoolean(true);
            System.gc();
            long heapBefore = heap.getHeapMemoryUsage().getUsed();
            var sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peakNetty.accumulateAndGet(alloc.usedDirectMemory() + alloc.usedHeapMemory(), Math::max);
                    peakHeap.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            var req = HttpRequest.newBuilder(gw.uri("/acme/upload")).timeout(Duration.ofMinutes(5))
                    .header("X-Portcullis-Key", "k1")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(GIB)), GIB))
                    .build();
            var r = gw.http.send(req, HttpResponse.BodyHandlers.ofString());
            running.set(false);
            sampler.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"bytes\":" + GIB);
            assertThat(gw.awaitExchanges(1).get(0).bytesIn()).isEqualTo(GIB);
            // The body is 1024 MiB; what the gateway holds at any time is a few socket reads' worth.
            assertThat(peakNetty.get()).as("Netty buffer memory peak").isLessThan(64L << 20);
            System.out.printf("1 GiB streamed: peak Netty buffers %d KiB, heap grew at most %d MiB%n",
                    peakNetty.get() >> 10, Math.max(0, peakHeap.get() - heapBefore) >> 20);
        }
    }

    /** An input stream of n zero bytes that allocates nothing per read. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long n) {
            left = n;
        }

        @Override
        public int read() {
            if (left <= 0) return -1;
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
