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
import java.util.Map;
import java.time.Clock;
import io.portcullis.core.event.SecurityEvent;
import io.portcullis.core.event.Severity;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.gateway.credential.ApiCredential;
import io.portcullis.gateway.credential.CredentialBroker;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.policy.CredentialPolicy;
import io.portcullis.gateway.policy.DlpPolicy;
import io.portcullis.discovery.diff.Catalog;
import io.portcullis.discovery.diff.CatalogComparison;
import io.portcullis.discovery.diff.CatalogException;
import io.portcullis.discovery.live.LiveInventory;
import io.portcullis.control.store.InventoryStore;
import io.portcullis.control.store.InventoryWriter;
import io.portcullis.control.store.StoreLocation;
import java.time.Instant;
import io.portcullis.discovery.traffic.TrafficLearner;
import io.portcullis.inspect.dlp.DlpEngine;

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
    private final CredentialBroker broker;
    private final LiveInventory inventory;
    private final InventoryStore store;

    private GatewayAssembly(PortcullisConfig config, EventBus bus, GatewayMetrics metrics, Gateway gateway, CredentialBroker broker,
                            LiveInventory inventory, InventoryStore store) {
        this.store = store;
        this.broker = broker;
        this.inventory = inventory;
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
        // Discovery, live: every outbound exchange feeds the inventory; first sightings of shadow or zombie
        // operations go back onto the bus as alerts (publishing never blocks).
        var busRef = new java.util.concurrent.atomic.AtomicReference<EventBus>();
        InventoryStore store = InventoryStore.open(cfg.store().map(StoreLocation::parse).orElseGet(StoreLocation::defaultLocation));
        var writer = new InventoryWriter(store);
        Map<String, String> vendorByHost = new java.util.HashMap<>();
        for (var api : cfg.apis()) vendorByHost.putIfAbsent(api.upstream().getHost().toLowerCase(java.util.Locale.ROOT), api.vendor());
        var inventory = new LiveInventory(new TrafficLearner(), catalogComparison(cfg), e -> {
            var b = busRef.get();
            if (b != null) b.publish(e);
        }, snapshot -> writer.write(snapshot, vendorByHost::get),
                v -> store.label(v.operation().host(), v.operation().method(), v.operation().path().render(), v.label().name(), v.reason(), Instant.now()),
                Duration.ofSeconds(10));
        var bus = EventBus.builder().capacity(cfg.audit().busCapacity()).sink(audit).sink(inventory).start();
        busRef.set(bus);
        var metrics = new GatewayMetrics();
        metrics.gauge("portcullis.events.dropped", "Audit events dropped by the bounded event bus (all reasons)", bus::droppedTotal);
        metrics.gauge("portcullis.events.published", "Audit events accepted by the event bus", bus::published);
        var events = new AuditedGatewayEvents(bus, Direction.OUTBOUND);
        // Credential brokering: secrets resolve from the environment and the encrypted store; the broker
        // caches tokens across reloads and reports credentials past their maxAge once a day.
        SecretStore secrets = cfg.secretStore().map(p -> new SecretStore(p, MasterKey.fromEnvironment(System.getenv()))).orElse(null);
        var broker = new CredentialBroker(new SecretResolver(System.getenv(), secrets), Clock.systemUTC(),
                age -> bus.publish(SecurityEvent.of(SecurityEvent.CREDENTIAL_MAX_AGE_EXCEEDED, Severity.MEDIUM,
                        vendorOf(age.api()), apiOf(age.api()), null,
                        "credential " + age.reference() + " is " + age.age().toDays() + " days old (maxAge " + age.maxAge().toDays() + " days)",
                        Map.of("reference", age.reference()))), null);
        List<SnapshotCompiler.PolicyContributor> contributors = new ArrayList<>();
        // DESIGN order: ... DLP -> credential injection (after DLP, so injected secrets are never scanned)
        contributors.add(DlpPolicy.contributor(DlpEngine.builtIn(), api -> api.dataPolicy().orElse(null)));
        contributors.add((api, c) -> api.credential()
                .map(spec -> List.<ExchangePolicy>of(new CredentialPolicy(broker.register(api.id(), spec), api.upstream())))
                .orElse(List.of()));
        // Inbound protection (DESIGN order on responses: limits -> schema -> threats -> malware), added last so
        // its response phases run first. clamd comes from the top-level 'malware:' key (read once at start).
        contributors.add(io.portcullis.gateway.policy.InboundPolicies.contributor(
                io.portcullis.core.config.ApiConfig::inbound, malwareInspection(cfg), events));
        SnapshotCompiler.ClientKeys clientKeys = api -> broker.credential(api.id()).flatMap(ApiCredential::clientTls).map(t -> t.keyManager());
        try {
            var gw = Gateway.start(configFile, events, metrics, contributors, clientKeys, Math.max(1, Runtime.getRuntime().availableProcessors()), watchMillis);
            broker.startWatching(Duration.ofSeconds(2));
            broker.prefetchAll();
            return new GatewayAssembly(cfg, bus, metrics, gw, broker, inventory, store);
        } catch (ConfigException | IOException | InterruptedException | RuntimeException e) {
            broker.close();
            bus.close(Duration.ofSeconds(2));
            store.close();
            throw e;
        }
    }

    /** The clamd client for inbound malware scanning, or null when no top-level {@code malware:} is configured. */
    private static io.portcullis.inspect.malware.MalwareInspection malwareInspection(PortcullisConfig cfg) {
        return cfg.malware().map(m -> {
            io.portcullis.inspect.malware.ClamdEndpoint endpoint = switch (m.clamd()) {
                case io.portcullis.core.config.MalwareScannerConfig.Clamd.Tcp t -> new io.portcullis.inspect.malware.ClamdEndpoint.Tcp(t.host(), t.port());
                case io.portcullis.core.config.MalwareScannerConfig.Clamd.Unix u -> new io.portcullis.inspect.malware.ClamdEndpoint.Unix(u.socket());
            };
            return new io.portcullis.inspect.malware.MalwareInspection(new io.portcullis.inspect.malware.ClamdScanner(
                    io.portcullis.inspect.malware.ClamdScanner.Settings.of(endpoint).withTimeout(m.timeout())));
        }).orElse(null);
    }

    /** The vendors' published contracts double as the discovery catalog; none configured means learning only. */
    private static CatalogComparison catalogComparison(PortcullisConfig cfg) throws IOException {
        if (cfg.catalog().isEmpty()) return null;
        try {
            return new CatalogComparison(Catalog.load(cfg.catalog()), Duration.ofDays(30));
        } catch (CatalogException e) {
            throw new IOException("the discovery catalog could not be read: " + e.getMessage(), e);
        }
    }

    private static String vendorOf(String apiId) {
        int slash = apiId.indexOf('/');
        return slash < 0 ? apiId : apiId.substring(0, slash);
    }

    private static String apiOf(String apiId) {
        int slash = apiId.indexOf('/');
        return slash < 0 ? null : apiId.substring(slash + 1);
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

    /** The inventory store (operations learned from traffic, labels, repo scans). */
    public InventoryStore store() {
        return store;
    }

    /** What discovery has learned from live traffic so far. */
    public LiveInventory inventory() {
        return inventory;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        gateway.close();
        broker.close();
        bus.close(Duration.ofSeconds(5)); // closes the sinks: the inventory writes its last state to the store
        store.close();
    }
}
