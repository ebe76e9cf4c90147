package io.portcullis.gateway.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * Netty's leak detector, remembering every leak it reports so {@link NettyLeakGuard} can fail the test
 * run. Installed with {@code -Dio.netty.customResourceLeakDetector} at level PARANOID (see the pom).
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval);
    }

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + ": " + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " (untraced)");
        super.reportUntracedLeak(resourceType);
    }
}
