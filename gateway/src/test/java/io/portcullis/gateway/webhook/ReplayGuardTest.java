package io.portcullis.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay store's bounds, expiry, eviction accounting and atomicity. */
class ReplayGuardTest {
    final MutableClock clock = MutableClock.atEpochSecond(1_000_000L);

    @Test
    void keyIsRefusedUntilTheWindowEndsThenAcceptedAgain() {
        var guard = new ReplayGuard(Duration.ofSeconds(60), 10, clock);
        assertThat(guard.firstSighting("a")).isTrue();
        clock.advanceSeconds(59);
        assertThat(guard.firstSighting("a")).isFalse();
        clock.advanceSeconds(1);
        assertThat(guard.firstSighting("a")).isTrue();
        assertThat(guard.stats()).isEqualTo(new ReplayGuard.Stats(1, 2, 1, 0));
    }

    @Test
    void expiredEntriesAreSweptSoSizeTracksTheWindow() {
        var guard = new ReplayGuard(Duration.ofSeconds(10), 1000, clock);
        for (int i = 0; i < 100; i++) {
            guard.firstSighting("k" + i);
        }
        assertThat(guard.stats().size()).isEqualTo(100);
        clock.advanceSeconds(10);
        guard.firstSighting("fresh");
        assertThat(guard.stats().size()).isEqualTo(1);
        assertThat(guard.stats().evictedBeforeExpiry()).isZero();
    }

    @Test
    void atCapacityTheOldestIsEvictedEarlyAndCounted() {
        var guard = new ReplayGuard(Duration.ofHours(1), 3, clock);
        guard.firstSighting("1");
        guard.firstSighting("2");
        guard.firstSighting("3");
        assertThat(guard.firstSighting("4")).isTrue();
        assertThat(guard.stats().size()).isEqualTo(3);
        assertThat(guard.stats().evictedBeforeExpiry()).isEqualTo(1);
        assertThat(guard.firstSighting("2")).isFalse(); // still remembered
        assertThat(guard.firstSighting("1")).isTrue();  // evicted early: documented weakness, counted
    }

    @Test
    void clockSteppingBackwardsNeverShortensProtection() {
        var guard = new ReplayGuard(Duration.ofSeconds(60), 10, clock);
        guard.firstSighting("a");
        clock.advanceSeconds(-3600);
        assertThat(guard.firstSighting("a")).isFalse();
    }

    @Test
    void forgetAllowsTheKeyAgain() {
        var guard = new ReplayGuard(Duration.ofSeconds(60), 10, clock);
        guard.firstSighting("a");
        guard.forget("a");
        assertThat(guard.firstSighting("a")).isTrue();
    }

    @Test
    void ofManyConcurrentDeliveriesOfOneKeyExactlyOneIsAccepted() throws Exception {
        var guard = new ReplayGuard(Duration.ofMinutes(5), 100_000, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                String key = "evt_" + round;
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger accepted = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (guard.firstSighting(key)) {
                            accepted.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(accepted.get()).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidBoundsAreRejected() {
        assertThatThrownBy(() -> new ReplayGuard(Duration.ZERO, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplayGuard(Duration.ofSeconds(1), 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
