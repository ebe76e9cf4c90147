package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Vendor;
import io.portcullis.discovery.registry.VendorRegistry;
import io.portcullis.inspect.dlp.DataClass;
import io.portcullis.inspect.dlp.DlpEngine;
import io.portcullis.inspect.dlp.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Secret detection for the repo scanner, by the DLP engine's SECRET detectors ({@link DlpEngine#secretsOnly()}).
 * Findings carry the engine's masked preview only. The vendor is the registry vendor whose id starts the
 * detector type ({@code STRIPE_...} is {@code stripe}), or null.
 */
public final class DlpSecretDetector implements SecretDetector {
    private final DlpEngine engine = DlpEngine.secretsOnly();
    private final VendorRegistry registry;

    public DlpSecretDetector(VendorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<SecretMatch> find(byte[] content, int length) {
        List<SecretMatch> out = new ArrayList<>();
        for (Finding f : engine.scanText(content, 0, length)) {
            if (f.dataClass() != DataClass.SECRET) {
                continue;
            }
            String type = f.type().toLowerCase(Locale.ROOT);
            int cut = type.indexOf('_');
            String vendor = registry.vendor(cut > 0 ? type.substring(0, cut) : type).map(Vendor::id).orElse(null);
            out.add(new SecretMatch((int) f.start(), type.replace('_', '-'), vendor, f.masked()));
        }
        return out;
    }
}
