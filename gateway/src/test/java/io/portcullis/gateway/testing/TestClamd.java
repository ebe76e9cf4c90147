package io.portcullis.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.inspect.malware.ClamdEndpoint;
import io.portcullis.inspect.malware.ClamdScanner;
import io.portcullis.inspect.malware.LocalClamd;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real clamd with the repo's test signatures, a scanner talking to it, and a scanner pointed at a port where
 * nothing listens (clamd down). Skips the calling test class when clamd is not installed.
 */
public final class TestClamd implements AutoCloseable {
    public final LocalClamd clamd;
    public final ClamdScanner scanner;
    public final ClamdScanner down;

    private TestClamd(LocalClamd clamd, ClamdScanner scanner, ClamdScanner down) {
        this.clamd = clamd;
        this.scanner = scanner;
        this.down = down;
    }

    public static TestClamd start() throws Exception {
        assumeTrue(LocalClamd.available(), "clamd not installed at /usr/sbin/clamd (bin/test installs clamav-daemon) - skipping");
        var clamd = LocalClamd.start(LocalClamd.repoSignatures(), Path.of("target"), 4 << 20, Duration.ofSeconds(120));
        var scanner = new ClamdScanner(ClamdScanner.Settings.of(clamd.tcp()).withTimeout(Duration.ofSeconds(60)));
        int dead;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        return new TestClamd(clamd, scanner, new ClamdScanner(ClamdScanner.Settings.of(new ClamdEndpoint.Tcp("127.0.0.1", dead))));
    }

    @Override
    public void close() throws InterruptedException {
        scanner.close();
        down.close();
        clamd.close();
    }
}
