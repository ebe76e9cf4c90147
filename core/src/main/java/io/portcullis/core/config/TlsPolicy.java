package io.portcullis.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS toward a vendor.
 *
 * @param minVersion     lowest protocol accepted ({@code TLSv1.2} by default, or {@code TLSv1.3})
 * @param verifyHostname check the certificate names the upstream host (on by default; off only with explicit intent)
 * @param caBundle       PEM bundle to trust instead of the system trust store
 * @param pins           SPKI SHA-256 pins in OkHttp's {@code sha256/<base64>} form; any one matching passes
 * @param clientCertificate PEM certificate chain and key presented to the vendor (mTLS)
 */
public record TlsPolicy(String minVersion, boolean verifyHostname, Optional<Path> caBundle, List<String> pins,
                        Optional<ClientCertificate> clientCertificate) {

    public record ClientCertificate(Path certificate, Path privateKey) {}

    public static TlsPolicy defaults() {
        return new TlsPolicy("TLSv1.2", true, Optional.empty(), List.of(), Optional.empty());
    }
}
