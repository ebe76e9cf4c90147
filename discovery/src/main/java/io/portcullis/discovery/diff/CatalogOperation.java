package io.portcullis.discovery.diff;

import io.portcullis.discovery.traffic.PathTemplate;

/**
 * One documented operation of a vendor API.
 *
 * @param api         the spec's title (or file name when untitled)
 * @param source      the spec file it came from
 * @param host        host from the spec's server URL (lower case, port only when not default)
 * @param method      HTTP method, upper case
 * @param path        full path template including the server's base path (e.g. {@code /v1/customers/{customer}})
 * @param operationId the spec's operationId, or {@code null}
 * @param deprecated  whether the spec marks it deprecated
 * @param response    documented JSON schema of the first 2xx response, or {@code null}
 * @param request     documented JSON request body schema, or {@code null}
 */
public record CatalogOperation(String api, String source, String host, String method, PathTemplate path,
                               String operationId, boolean deprecated, DocumentedSchema response,
                               DocumentedSchema request) {

    /** {@code GET /v1/customers/{customer}} */
    public String label() {
        return method + " " + path.render();
    }
}
