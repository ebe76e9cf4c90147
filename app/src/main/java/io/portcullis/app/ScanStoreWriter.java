package io.portcullis.app;

import io.portcullis.discovery.code.ScanReport;
import java.nio.file.Path;

/** Records a repo scan in the store (wired once the store lands). */
final class ScanStoreWriter {
    private ScanStoreWriter() {}

    static void record(String url, Path root, ScanReport report) {
        throw new IllegalStateException("the store is not available yet");
    }
}
