package io.portcullis.app;

import io.portcullis.core.audit.AuditChainKey;
import io.portcullis.core.audit.AuditLogSink;
import io.portcullis.core.config.ConfigException;
import io.portcullis.core.config.ConfigLoader;
import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.core.event.Direction;
import io.portcullis.core.event.EventBus;
import io.portcullis.gateway.AuditedGatewayEvents;
import io.portcullis.gateway.Gateway;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the running system by hand, in dependency order: configuration → audit sink → event bus →
 * metrics → gateway (with the policy contributors of each concern). {@code serve} and {@code demo} both
 * use it, so what the demo shows is what production runs.
 */
public final class GatewayAssembly implements AutoCloseable {
    private final PortcullisConfig config;
    private final EventBus bus;
    private final GatewayMetrics metrics;
    private final Gateway gateway;

    private GatewayAssembly(PortcullisConfig config, EventBus bus, GatewayMetrics metrics, Gateway gateway) {
        this.config = config;
        this.bus = bus;
        this.metrics = metrics;
        this.gateway = gateway;
    }

    public static GatewayAssembly start(Path configFile, int workers, long watchMillis) throws ConfigException, IOException, InterruptedException {
        PortcullisConfig cfg = ConfigLoader.load(configFile);
        Files.createDirectories(cfg.audit().file().getParent());
        var audit = new AuditLogSink(AuditLogSink.Options.defaults(cfg.audit().file())
                .withMaxFileBytes(cfg.audit().maxFileBytes())
                .withKeepFiles(cfg.audit().maxFiles())
                .withChainKey(AuditChainKey.fromEnvironment()));
        var bus = EventBus.builder().capacity(cfg.audit().busCapacity()).sink(audit).start();
        var metrics = new GatewayMetrics();
        metrics.gauge("portcullis.events.dropped", "Audit events dropped by the bounded event bus (all reasons)", bus::droppedTotal);
        metrics.gauge("portcullis.events.published", "Audit events accepted by the event bus", bus::published);
        var events = new AuditedGatewayEvents(bus, Direction.OUTBOUND);
        List<SnapshotCompiler.PolicyContributor> contributors = new ArrayList<>();
        try {
            var gw = Gateway.start(configFile, events, metrics, contributors, Math.max(1, Runtime.getRuntime().availableProcessors()), watchMillis);
            return new GatewayAssembly(cfg, bus, metrics, gw);
        } catch (ConfigException | IOException | InterruptedException | RuntimeException e) {
            bus.close(Duration.ofSeconds(2));
            throw e;
        }
    }

    public PortcullisConfig config() {
        return config;
    }

    public Gateway gateway() {
        return gateway;
    }

    public EventBus bus() {
        return bus;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        gateway.close();
        bus.close(Duration.ofSeconds(5));
    }
}
