package io.portcullis.app;

import io.portcullis.app.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis demo}: the gateway, a sample vendor over TLS and a short burst of traffic from two apps. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway with a built-in sample vendor API over TLS, send traffic from two sample apps, and summarise what happened.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Where the demo writes its config, certificates and audit log (default: var/demo)")
    Path dir = Path.of("var", "demo");

    @Option(names = "--keep-running", description = "Keep the gateway and the sample vendor running after the traffic, until Ctrl-C")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        return new Demo(dir, System.out).run(keepRunning);
    }
}
