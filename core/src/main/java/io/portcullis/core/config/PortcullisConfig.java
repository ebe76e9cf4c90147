package io.portcullis.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated configuration: the immutable input from which the gateway compiles a snapshot.
 *
 * @param source    the file it was read from (relative paths inside resolve against its directory)
 * @param listen    where apps reach the gateway
 * @param admin     the admin/metrics listener (loopback by default)
 * @param audit     where audit records go
 * @param forwarded what to do with {@code Forwarded}/{@code X-Forwarded-*} headers
 * @param issuers   JWT issuers apps may authenticate with, by name
 * @param apps      internal callers, by name
 * @param vendors   third parties and their APIs
 * @param secretStore the encrypted secret store that {@code store:} references resolve against
 * @param store     the inventory store: {@code postgresql://...}, {@code h2:mem:NAME} or an H2 file path
 *                  (relative paths resolved against the configuration's directory); empty = the default H2 file
 * @param catalog   vendor OpenAPI/Swagger files that live discovery judges traffic against (shadow, zombie)
 * @param malware   the clamd that inbound malware scanning uses, if configured
 * @param webhooks  inbound webhook routes
 */
public record PortcullisConfig(
        Path source,
        ListenConfig listen,
        AdminConfig admin,
        AuditConfig audit,
        ForwardedPolicy forwarded,
        Map<String, JwtIssuerConfig> issuers,
        Map<String, AppConfig> apps,
        List<VendorConfig> vendors,
        Optional<Path> secretStore,
        Optional<String> store,
        List<Path> catalog,
        Optional<MalwareScannerConfig> malware,
        List<WebhookRouteConfig> webhooks) {

    /** Every API of every vendor, in file order. */
    public List<ApiConfig> apis() {
        return vendors.stream().flatMap(v -> v.apis().stream()).toList();
    }

    public Optional<VendorConfig> vendor(String name) {
        return vendors.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
