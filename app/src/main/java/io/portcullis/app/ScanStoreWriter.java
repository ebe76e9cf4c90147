package io.portcullis.app;

import io.portcullis.control.store.InventoryStore;
import io.portcullis.discovery.code.ScanReport;
import java.nio.file.Path;
import java.time.Instant;

/** Records a repo scan in the inventory store, keyed by the scanned directory's absolute path. */
final class ScanStoreWriter {
    private ScanStoreWriter() {}

    static long record(String location, Path root, ScanReport report) {
        try (InventoryStore store = InventoryStore.open(location)) {
            return store.recordScan(root.toAbsolutePath().normalize().toString(), Instant.now(), report.findings());
        }
    }
}
