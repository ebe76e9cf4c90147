package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deadlines fire on their loop no earlier than due; disarmed ones never fire; the list empties. */
class ResponseDeadlinesTest {
    final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void dueDeadlinesFireNotBeforeTheirTimeAndDisarmedOnesNever() throws Exception {
        var fired = new CountDownLatch(1);
        var firedAfterNanos = new AtomicLong();
        var disarmedFired = new AtomicBoolean();
        var farFired = new AtomicBoolean();
        var left = new AtomicLong(-1);
        loop.submit(() -> {
            var d = ResponseDeadlines.current();
            long armedAt = System.nanoTime();
            var cancelled = d.arm(loop, 40, () -> disarmedFired.set(true));
            d.arm(loop, 60_000, () -> farFired.set(true));
            d.arm(loop, 40, () -> {
                firedAfterNanos.set(System.nanoTime() - armedAt);
                left.set(d.size());
                fired.countDown();
            });
            cancelled.disarm();
            cancelled.disarm(); // idempotent
        }).sync();
        assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAfterNanos.get()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(disarmedFired).isFalse();
        assertThat(farFired).isFalse();
        assertThat(left.get()).isEqualTo(1); // only the far one is still armed
    }

    @Test
    void theSweepStopsWhenNothingIsArmedAndRestartsOnTheNextArm() throws Exception {
        var second = new CountDownLatch(1);
        loop.submit(() -> ResponseDeadlines.current().arm(loop, 1, () -> { })).sync();
        // wait until the first has fired and the list is empty
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.submit(() -> ResponseDeadlines.current().size()).get() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(loop.submit(() -> ResponseDeadlines.current().size()).get()).isZero();
        loop.submit(() -> ResponseDeadlines.current().arm(loop, 1, second::countDown)).sync();
        assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
    }
}
