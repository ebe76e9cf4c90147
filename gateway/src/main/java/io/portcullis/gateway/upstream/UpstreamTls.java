package io.portcullis.gateway.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.portcullis.core.config.ApiConfig;
import io.portcullis.core.config.TlsPolicy;
import java.io.IOException;
import java.util.List;

/** Builds the client TLS context that enforces one API's {@link TlsPolicy}. */
public final class UpstreamTls {
    private UpstreamTls() {}

    /**
     * Protocols from the policy's minimum up (never below TLS 1.2); trust from the CA bundle or the JDK's
     * system store; the client certificate when configured; ALPN offering h2 unless the API is pinned to
     * HTTP/1.1. Hostname verification is applied per connection (it needs the host).
     */
    public static SslContext contextFor(ApiConfig api) throws IOException {
        return contextFor(api, null);
    }

    /**
     * As {@link #contextFor(ApiConfig)}, presenting {@code clientKeys} when given: the certificate an
     * RFC 8705 certificate-bound token is bound to, so API calls and the token request use the same one.
     */
    public static SslContext contextFor(ApiConfig api, javax.net.ssl.X509KeyManager clientKeys) throws IOException {
        TlsPolicy tls = api.tls();
        var b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols(tls.minVersion().equals("TLSv1.3") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2"));
        if (tls.caBundle().isPresent()) b.trustManager(tls.caBundle().get().toFile());
        if (clientKeys != null) {
            b.keyManager(clientKeys);
        } else if (tls.clientCertificate().isPresent()) {
            var cc = tls.clientCertificate().get();
            b.keyManager(cc.certificate().toFile(), cc.privateKey().toFile());
        }
        b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                api.protocol() == ApiConfig.UpstreamProtocol.HTTP1 ? List.of(ApplicationProtocolNames.HTTP_1_1)
                        : List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)));
        try {
            return b.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot build TLS context for " + api.id() + ": " + e.getMessage(), e);
        }
    }
}
