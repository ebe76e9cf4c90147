package io.portcullis.app;

import io.portcullis.core.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis serve --config FILE}: runs the gateway until stopped; the file is hot-reloaded on change. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway from a configuration file (hot-reloaded on change).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "Path to portcullis.yaml")
    Path config;

    @Option(names = "--workers", description = "Event-loop threads (default: number of cores)")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--watch-interval-ms", description = "How often the config file is checked for changes (0 disables hot reload)")
    long watchMillis = 1000;

    @Override
    public Integer call() throws Exception {
        GatewayAssembly a;
        try {
            a = GatewayAssembly.start(config, workers, watchMillis);
        } catch (ConfigException e) {
            System.err.println("portcullis: configuration rejected\n" + e.getMessage());
            return 2;
        } catch (java.net.BindException e) {
            System.err.println("portcullis: cannot listen: " + e.getMessage() + " (another process uses the address; change listen.address or admin.address)");
            return 2;
        } catch (java.io.IOException | RuntimeException e) {
            // e.g. an unreadable catalog, a store that cannot be opened, a missing master key: say what, not how
            System.err.println("portcullis: cannot start: " + e.getMessage());
            return 2;
        }
        var gw = a.gateway();
        System.err.printf("portcullis: serving %d APIs on http://%s:%d%s; metrics on http://%s:%d/metrics; audit log %s%n",
                a.config().apis().size(), a.config().listen().host(), gw.port(),
                gw.tlsPort() > 0 ? " and https port " + gw.tlsPort() : "",
                a.config().admin().host(), gw.adminPort(), a.config().audit().file());
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            a.close();
            stop.countDown();
        }, "portcullis-shutdown"));
        stop.await();
        return 0;
    }
}
