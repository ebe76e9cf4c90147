package io.portcullis.gateway.upstream;

import io.netty.handler.ssl.SslContext;
import io.portcullis.core.config.ApiConfig;
import java.util.Set;

/**
 * Where and how to connect for one API: pooled connections are shared only between exchanges with an
 * equal target (same host, port, TLS context and pins), so a policy never leaks across APIs.
 */
public record UpstreamTarget(String apiId, String host, int port, SslContext ssl, boolean verifyHostname, Set<String> pins,
                             int connectTimeoutMillis, ApiConfig.UpstreamProtocol protocol, long idleTimeoutMillis) {
    public boolean tls() {
        return ssl != null;
    }
}
