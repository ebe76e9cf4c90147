package io.portcullis.control.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.discovery.code.FindingKind;
import io.portcullis.discovery.code.RepoFinding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The inventory store: API operations learned from traffic, their labels, repository scan findings and a
 * generic event log, over JDBC on embedded H2 (default) or PostgreSQL.
 *
 * <p>Guarantees: the schema is migrated by Flyway on {@link #open} (idempotent; a database migrated by a newer
 * Portcullis is refused); every write is one transaction; {@link #upsertOperation} merges concurrent deltas
 * without losing counts (row lock, and one retry when two writers race to insert the same operation);
 * values over a column's limit are rejected with the field named, never truncated silently; error messages
 * name the store without its credentials. Thread-safe; blocking — call it from virtual threads or a worker,
 * never from an event loop.
 */
public final class InventoryStore implements AutoCloseable {
    public static final int MAX_SCHEMA_CHARS = 1_000_000;
    public static final int MAX_SET_JSON_CHARS = 100_000;
    public static final int MAX_PAYLOAD_CHARS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OP_COLUMNS = "o.host, o.method, o.path_template, o.vendor, o.first_seen, o.last_seen, o.request_count, "
            + "o.statuses, o.content_types, o.query_names, o.request_schema, o.response_schema, o.data_classes, o.auth_schemes, o.apps";

    private final StoreLocation location;
    private final ConnectionPool pool;

    private InventoryStore(StoreLocation location, ConnectionPool pool) {
        this.location = location;
        this.pool = pool;
    }

    /** Opens (creating or migrating as needed) the store at a location such as {@code postgresql://host:5432/db?user=x}. */
    public static InventoryStore open(String location) {
        return open(StoreLocation.parse(location));
    }

    public static InventoryStore open(StoreLocation location) {
        try {
            Flyway.configure(InventoryStore.class.getClassLoader())
                    .dataSource(location.jdbcUrl(), location.user(), location.password())
                    .loggers(FlywayLog.class.getName())
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate store " + location + ": " + firstLine(e.getMessage()), null);
        }
        return new InventoryStore(location, new ConnectionPool(location, 8, 30_000));
    }

    public StoreLocation location() {
        return location;
    }

    // ---- operations ----

    /** Merges a delta into the stored operation (creating it on first sight) and returns the merged state. */
    public OperationStats upsertOperation(OperationStats delta) {
        checkLength("host", delta.host(), 253);
        checkLength("method", delta.method(), 16);
        checkLength("pathTemplate", delta.pathTemplate(), 2048);
        checkLength("vendor", delta.vendor(), 100);
        checkLength("requestSchema", delta.requestSchema(), MAX_SCHEMA_CHARS);
        checkLength("responseSchema", delta.responseSchema(), MAX_SCHEMA_CHARS);
        for (int attempt = 0; ; attempt++) {
            try {
                return inTransaction("upsert operation", c -> upsert(c, delta));
            } catch (StoreException e) {
                if (attempt == 0 && e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState())) {
                    continue; // another writer inserted the same operation first: merge into its row
                }
                throw e;
            }
        }
    }

    private OperationStats upsert(Connection c, OperationStats delta) throws SQLException {
        OperationStats current = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OP_COLUMNS
                + " FROM operations o WHERE o.host = ? AND o.method = ? AND o.path_template = ? FOR UPDATE")) {
            ps.setString(1, delta.host());
            ps.setString(2, delta.method());
            ps.setString(3, delta.pathTemplate());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    current = readOperation(rs);
                }
            }
        }
        OperationStats merged = current == null ? delta : current.merge(delta);
        String statuses = json("statuses", merged.statuses(), MAX_SET_JSON_CHARS);
        String[] sets = {json("contentTypes", merged.contentTypes(), MAX_SET_JSON_CHARS), json("queryNames", merged.queryNames(), MAX_SET_JSON_CHARS),
                json("dataClasses", merged.dataClasses(), MAX_SET_JSON_CHARS), json("authSchemes", merged.authSchemes(), MAX_SET_JSON_CHARS),
                json("apps", merged.apps(), MAX_SET_JSON_CHARS)};
        String sql = current == null
                ? "INSERT INTO operations (vendor, first_seen, last_seen, request_count, statuses, content_types, query_names, request_schema, "
                  + "response_schema, data_classes, auth_schemes, apps, host, method, path_template) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE operations SET vendor = ?, first_seen = ?, last_seen = ?, request_count = ?, statuses = ?, content_types = ?, "
                  + "query_names = ?, request_schema = ?, response_schema = ?, data_classes = ?, auth_schemes = ?, apps = ? "
                  + "WHERE host = ? AND method = ? AND path_template = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, merged.vendor());
            ps.setObject(2, time(merged.firstSeen()));
            ps.setObject(3, time(merged.lastSeen()));
            ps.setLong(4, merged.requestCount());
            ps.setString(5, statuses);
            ps.setString(6, sets[0]);
            ps.setString(7, sets[1]);
            ps.setString(8, merged.requestSchema());
            ps.setString(9, merged.responseSchema());
            ps.setString(10, sets[2]);
            ps.setString(11, sets[3]);
            ps.setString(12, sets[4]);
            ps.setString(13, merged.host());
            ps.setString(14, merged.method());
            ps.setString(15, merged.pathTemplate());
            ps.executeUpdate();
        }
        return merged;
    }

    public Optional<OperationStats> operation(String host, String method, String pathTemplate) {
        List<OperationStats> found = queryOperations("SELECT " + OP_COLUMNS + " FROM operations o WHERE o.host = ? AND o.method = ? AND o.path_template = ?",
                host, method, pathTemplate);
        return found.stream().findFirst();
    }

    public List<OperationStats> operationsByHost(String host) {
        return queryOperations("SELECT " + OP_COLUMNS + " FROM operations o WHERE o.host = ? ORDER BY o.path_template, o.method", host);
    }

    public List<OperationStats> operationsByVendor(String vendor) {
        return queryOperations("SELECT " + OP_COLUMNS + " FROM operations o WHERE o.vendor = ? ORDER BY o.host, o.path_template, o.method", vendor);
    }

    public List<OperationStats> operationsByLabel(String label) {
        return queryOperations("SELECT " + OP_COLUMNS + " FROM operations o JOIN operation_labels l ON l.operation_id = o.id "
                + "WHERE l.label = ? ORDER BY o.host, o.path_template, o.method", label);
    }

    private List<OperationStats> queryOperations(String sql, String... params) {
        return inTransaction("query operations", c -> {
            List<OperationStats> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readOperation(rs));
                    }
                }
            }
            return out;
        });
    }

    private static OperationStats readOperation(ResultSet rs) throws SQLException {
        return new OperationStats(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5), instant(rs, 6),
                rs.getLong(7), parse(rs.getString(8), new TypeReference<Map<Integer, Long>>() {}), parse(rs.getString(9), SET),
                parse(rs.getString(10), SET), rs.getString(11), rs.getString(12), parse(rs.getString(13), SET), parse(rs.getString(14), SET),
                parse(rs.getString(15), SET));
    }

    private static final TypeReference<Set<String>> SET = new TypeReference<>() {};

    // ---- labels ----

    /**
     * Sets a label with its reason on a stored operation (updating the reason and last-seen time when the
     * label is already there). Returns false when the operation is not in the store.
     */
    public boolean label(String host, String method, String pathTemplate, String label, String reason, Instant at) {
        checkLength("label", label, 32);
        checkLength("reason", reason, 4000);
        return inTransaction("label operation", c -> {
            Long id = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM operations WHERE host = ? AND method = ? AND path_template = ?")) {
                ps.setString(1, host);
                ps.setString(2, method);
                ps.setString(3, pathTemplate);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            if (id == null) {
                return false;
            }
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE operation_labels SET reason = ?, last_seen = ? WHERE operation_id = ? AND label = ?")) {
                ps.setString(1, reason);
                ps.setObject(2, time(at));
                ps.setLong(3, id);
                ps.setString(4, label);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO operation_labels (operation_id, label, reason, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setString(2, label);
                    ps.setString(3, reason);
                    ps.setObject(4, time(at));
                    ps.setObject(5, time(at));
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    /** Removes a label (e.g. a shadow operation that has since been approved). Returns whether it was there. */
    public boolean unlabel(String host, String method, String pathTemplate, String label) {
        return inTransaction("unlabel operation", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM operation_labels WHERE label = ? AND operation_id IN "
                    + "(SELECT id FROM operations WHERE host = ? AND method = ? AND path_template = ?)")) {
                ps.setString(1, label);
                ps.setString(2, host);
                ps.setString(3, method);
                ps.setString(4, pathTemplate);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public List<OperationLabel> labels(String host) {
        return inTransaction("query labels", c -> {
            List<OperationLabel> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.host, o.method, o.path_template, l.label, l.reason, l.first_seen, l.last_seen "
                    + "FROM operation_labels l JOIN operations o ON o.id = l.operation_id WHERE o.host = ? ORDER BY o.path_template, o.method, l.label")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OperationLabel(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                instant(rs, 6), instant(rs, 7)));
                    }
                }
            }
            return out;
        });
    }

    // ---- repository scans ----

    /** Records one scan of a repository with all its findings (one transaction); returns the scan's id. */
    public long recordScan(String repo, Instant scannedAt, List<RepoFinding> findings) {
        checkLength("repo", repo, 4096);
        for (RepoFinding f : findings) {
            checkLength("file", f.file(), 4096);
            checkLength("detail", f.detail(), 1000);
            checkLength("vendor", f.vendor(), 100);
        }
        return inTransaction("record scan", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO repo_scans (repo, scanned_at, finding_count) VALUES (?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, repo);
                ps.setObject(2, time(scannedAt));
                ps.setInt(3, findings.size());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO scan_findings (scan_id, kind, vendor, file, line, detail, occurrences) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                int batch = 0;
                for (RepoFinding f : findings) {
                    ps.setLong(1, id);
                    ps.setString(2, f.kind().wireName());
                    ps.setString(3, f.vendor());
                    ps.setString(4, f.file());
                    ps.setInt(5, f.line());
                    ps.setString(6, f.detail());
                    ps.setInt(7, f.occurrences());
                    ps.addBatch();
                    if (++batch % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return id;
        });
    }

    /** The findings of the latest scan of a repository (empty if it was never scanned). */
    public List<StoredFinding> latestFindings(String repo) {
        return queryFindings("s.id = (SELECT MAX(id) FROM repo_scans WHERE repo = ?)", repo);
    }

    /** Findings for a vendor across the latest scan of every repository. */
    public List<StoredFinding> findingsByVendor(String vendor) {
        return queryFindings("f.vendor = ? AND s.id IN (SELECT MAX(id) FROM repo_scans GROUP BY repo)", vendor);
    }

    private List<StoredFinding> queryFindings(String where, String param) {
        return inTransaction("query findings", c -> {
            List<StoredFinding> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, s.repo, s.scanned_at, f.kind, f.vendor, f.file, f.line, f.detail, f.occurrences "
                    + "FROM scan_findings f JOIN repo_scans s ON s.id = f.scan_id WHERE " + where + " ORDER BY s.repo, f.file, f.line, f.kind, f.detail")) {
                ps.setString(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredFinding(rs.getLong(1), rs.getString(2), instant(rs, 3), new RepoFinding(FindingKind.fromWireName(rs.getString(4)),
                                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getInt(9))));
                    }
                }
            }
            return out;
        });
    }

    // ---- events ----

    /** Appends an event (payload is JSON text) and returns its id. */
    public long appendEvent(Instant at, String type, String subject, String payload) {
        checkLength("type", type, 64);
        checkLength("subject", subject, 2048);
        checkLength("payload", payload, MAX_PAYLOAD_CHARS);
        return inTransaction("append event", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (occurred_at, type, subject, payload) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setObject(1, time(at));
                ps.setString(2, type);
                ps.setString(3, subject);
                ps.setString(4, payload);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Events of a type at or after {@code since}, oldest first, at most {@code limit}. */
    public List<StoredEvent> events(String type, Instant since, int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit must be between 1 and 100000");
        }
        return inTransaction("query events", c -> {
            List<StoredEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, occurred_at, type, subject, payload FROM events WHERE type = ? AND occurred_at >= ? ORDER BY occurred_at, id")) {
                ps.setString(1, type);
                ps.setObject(2, time(since));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEvent(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, SqlWork<T> work) {
        Connection c;
        try {
            c = pool.borrow();
        } catch (SQLException e) {
            throw new StoreException(what + ": " + e.getMessage(), e);
        }
        boolean broken = false;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                broken = true;
            }
            throw new StoreException(what + " failed in store " + location + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        } finally {
            pool.release(c, broken);
        }
    }

    private static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters; the store keeps at most " + max);
        }
    }

    private static String json(String field, Object value, int max) {
        try {
            String s = JSON.writeValueAsString(value);
            checkLength(field, s, max);
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " cannot be written as JSON", e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt JSON column in the store: " + e.getOriginalMessage());
        }
    }

    private static OffsetDateTime time(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        return rs.getObject(col, OffsetDateTime.class).toInstant();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        pool.close();
    }
}
