package io.portcullis.control.store;

import io.portcullis.discovery.code.RepoFinding;
import java.time.Instant;

/** A repository scan finding as kept in the store, with the scan it came from. */
public record StoredFinding(long scanId, String repo, Instant scannedAt, RepoFinding finding) {}
