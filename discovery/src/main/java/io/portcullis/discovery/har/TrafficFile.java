package io.portcullis.discovery.har;

import io.portcullis.discovery.traffic.AuditLogReader;
import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.ReadResult;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads a traffic file of either supported format, telling them apart by content: HAR 1.2 or audit-log JSON lines. */
public final class TrafficFile {
    /** The two input formats. */
    public enum Format { HAR, AUDIT_LOG }

    private TrafficFile() {
    }

    /** Sniffs the first bytes: a JSON object whose first member is {@code "log"} is a HAR, anything else JSON lines. */
    public static Format detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            return HarReader.looksLikeHar(head, head.length) ? Format.HAR : Format.AUDIT_LOG;
        }
    }

    public static ReadResult read(Path file, Consumer<ObservedRequest> sink) throws IOException {
        Format f = detect(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return f == Format.HAR ? new HarReader().read(in, sink) : new AuditLogReader().read(in, sink);
        }
    }
}
