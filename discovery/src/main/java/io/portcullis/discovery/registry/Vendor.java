package io.portcullis.discovery.registry;

import java.util.List;
import java.util.Map;

/**
 * A third-party vendor as the registry describes it.
 *
 * @param id       stable identifier used in findings and the store (e.g. {@code stripe})
 * @param apiHosts hosts serving the API: exact names, {@code *.suffix} wildcards, or {@code host/pathPrefix}
 * @param webHosts the vendor's documentation and marketing hosts (not API endpoints)
 * @param packages package names per ecosystem; a trailing {@code *} matches any suffix
 * @param imports  module or namespace prefixes per language; a trailing {@code *} matches any suffix
 */
public record Vendor(String id, String name, String category, List<String> apiHosts, List<String> webHosts,
                     String docs, String status, Map<Ecosystem, List<String>> packages,
                     Map<SourceLanguage, List<String>> imports) {
    public Vendor {
        apiHosts = List.copyOf(apiHosts);
        webHosts = List.copyOf(webHosts);
        packages = Map.copyOf(packages);
        imports = Map.copyOf(imports);
    }
}
