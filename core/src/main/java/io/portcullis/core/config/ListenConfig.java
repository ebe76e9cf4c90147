package io.portcullis.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where apps reach the gateway: a cleartext listener (HTTP/1.1 and h2c) and optionally a TLS
 * listener (HTTP/1.1 and h2 by ALPN) that can ask for client certificates (mTLS app identity).
 */
public record ListenConfig(String host, int port, Optional<TlsListener> tls,
                           int maxHeaderBytes, int maxInitialLineBytes, java.time.Duration idleTimeout) {

    /** TLS listener; {@code clientCa} set means client certificates are requested and verified against it. */
    public record TlsListener(String host, int port, Path certificate, Path privateKey, Optional<Path> clientCa,
                              boolean requireClientCertificate) {}
}
