package io.portcullis.gateway;

import io.portcullis.core.config.ConfigException;
import io.portcullis.core.config.ConfigLoader;
import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.gateway.listen.GatewayServer;
import io.portcullis.gateway.metrics.AdminServer;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.snapshot.ConfigWatcher;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import io.portcullis.gateway.upstream.UpstreamPool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway assembled by hand from its parts: snapshot compiler, runtime, app-facing listeners,
 * admin listener and the configuration watcher that hot-reloads the file.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Path configFile;
    private final GatewayEvents events;
    private final GatewayMetrics metrics;
    private final SnapshotCompiler compiler;
    private final GatewayRuntime runtime;
    private final GatewayServer server;
    private final AdminServer admin;
    private final ConfigWatcher watcher;
    private volatile int rejectedReloads;

    private Gateway(Path configFile, PortcullisConfig cfg, GatewayEvents events, GatewayMetrics metrics,
                    List<SnapshotCompiler.PolicyContributor> contributors, SnapshotCompiler.ClientKeys clientKeys, int workers, long watchMillis)
            throws IOException, InterruptedException {
        this.configFile = configFile;
        this.events = events;
        this.metrics = metrics;
        this.compiler = new SnapshotCompiler(metrics, events, contributors, clientKeys);
        this.runtime = new GatewayRuntime(compiler.compile(cfg), new UpstreamPool(60, 64, 64 * 1024), metrics, events);
        this.server = new GatewayServer(runtime, cfg.listen(), workers).start();
        this.admin = new AdminServer(cfg.admin().host(), cfg.admin().port(), metrics, this::status);
        this.watcher = new ConfigWatcher(configFile, watchMillis, this::reload, this::rejected);
    }

    /** Loads, validates and starts; throws {@link ConfigException} (with every problem) if the file is bad. */
    public static Gateway start(Path configFile, GatewayEvents events, GatewayMetrics metrics,
                                List<SnapshotCompiler.PolicyContributor> contributors, int workers, long watchMillis)
            throws ConfigException, IOException, InterruptedException {
        return start(configFile, events, metrics, contributors, api -> java.util.Optional.empty(), workers, watchMillis);
    }

    public static Gateway start(Path configFile, GatewayEvents events, GatewayMetrics metrics,
                                List<SnapshotCompiler.PolicyContributor> contributors, SnapshotCompiler.ClientKeys clientKeys,
                                int workers, long watchMillis) throws ConfigException, IOException, InterruptedException {
        return new Gateway(configFile, ConfigLoader.load(configFile), events, metrics, contributors, clientKeys, workers, watchMillis);
    }

    private void reload(PortcullisConfig cfg) {
        try {
            var old = runtime.snapshot();
            if (!old.config().listen().equals(cfg.listen()) || !old.config().admin().equals(cfg.admin())) {
                log.warn("listener or admin addresses changed in {}; they take effect after a restart", configFile);
            }
            runtime.swap(compiler.compile(cfg));
            log.info("configuration reloaded: generation {}, {} APIs", runtime.snapshot().generation(), cfg.apis().size());
            events.securityEvent("CONFIG_RELOADED", "info", null, null, null, "configuration reloaded",
                    Map.of("generation", Long.toString(runtime.snapshot().generation())));
        } catch (IOException | RuntimeException e) {
            rejectedReloads++;
            log.error("configuration reload could not be compiled ({}); the previous configuration keeps serving", e.getMessage());
            events.securityEvent("CONFIG_RELOAD_REJECTED", "medium", null, null, null, "configuration could not be compiled", Map.of());
        }
    }

    private void rejected(ConfigException e) {
        rejectedReloads++;
        events.securityEvent("CONFIG_RELOAD_REJECTED", "medium", null, null, null,
                e.problems().size() + " problem(s); first: " + e.problems().get(0).render(), Map.of());
    }

    /** Checks the configuration file now instead of waiting for the next poll. */
    public void checkConfigNow() {
        watcher.checkNow();
    }

    private Map<String, Object> status() {
        var m = new LinkedHashMap<String, Object>();
        m.put("generation", runtime.snapshot().generation());
        m.put("apis", runtime.snapshot().config().apis().size());
        m.put("rejectedReloads", rejectedReloads);
        return m;
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    public int port() {
        return server.port();
    }

    public int tlsPort() {
        return server.tlsPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public int rejectedReloads() {
        return rejectedReloads;
    }

    @Override
    public void close() {
        watcher.close();
        server.close();
        admin.close();
    }
}
