package io.portcullis.gateway.upstream;

import java.util.List;

/** The vendor's certificate chain matched none of the configured pins. Pins are public data, safe to log. */
public final class PinMismatchException extends javax.net.ssl.SSLException {
    private final List<String> actualPins;

    public PinMismatchException(String host, List<String> actualPins) {
        super("certificate pin mismatch for " + host + "; chain pins: " + actualPins);
        this.actualPins = List.copyOf(actualPins);
    }

    public List<String> actualPins() {
        return actualPins;
    }
}
