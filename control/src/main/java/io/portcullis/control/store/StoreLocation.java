package io.portcullis.control.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the store lives, parsed from the configuration's {@code store:} value.
 *
 * <ul>
 *   <li>{@code postgresql://host[:port]/db[?user=u&password=p&...]} (or {@code postgres://}): PostgreSQL;
 *       query parameters are passed to the JDBC driver.</li>
 *   <li>{@code h2:mem:NAME}: an in-memory H2 database (tests, demos).</li>
 *   <li>{@code h2:PATH}, {@code file:PATH} or a bare path: an embedded H2 database file (the default; no server).</li>
 * </ul>
 *
 * @param display the location without credentials, safe for logs and error messages
 */
public record StoreLocation(Kind kind, String jdbcUrl, String user, String password, String display) {
    public enum Kind { H2, POSTGRESQL }

    /** The default store: an H2 file under {@code var/} in the working directory. */
    public static StoreLocation defaultLocation() {
        return parse("var/portcullis");
    }

    public static StoreLocation parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("store location is empty (write postgresql://host:5432/db?user=... or a file path for the embedded H2 store)");
        }
        String v = value.trim();
        if (v.startsWith("postgresql://") || v.startsWith("postgres://")) {
            String rest = v.substring(v.indexOf("://") + 3);
            int q = rest.indexOf('?');
            String hostAndDb = q < 0 ? rest : rest.substring(0, q);
            String query = q < 0 ? "" : rest.substring(q + 1);
            if (hostAndDb.contains("@")) {
                throw new IllegalArgumentException("store postgresql://" + hostAndDb.substring(hostAndDb.indexOf('@') + 1)
                        + ": put credentials in ?user=...&password=... (or a secret reference), not before the host");
            }
            int slash = hostAndDb.indexOf('/');
            if (slash <= 0 || slash == hostAndDb.length() - 1) {
                throw new IllegalArgumentException("store postgresql://" + hostAndDb + ": expected postgresql://host[:port]/database");
            }
            String user = null;
            String password = null;
            StringBuilder passThrough = new StringBuilder();
            for (String param : query.split("&")) {
                if (param.isEmpty()) {
                    continue;
                }
                int eq = param.indexOf('=');
                String k = eq < 0 ? param : param.substring(0, eq);
                String val = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
                switch (k) {
                    case "user" -> user = val;
                    case "password" -> password = val;
                    default -> passThrough.append(passThrough.isEmpty() ? "?" : "&").append(param);
                }
            }
            return new StoreLocation(Kind.POSTGRESQL, "jdbc:postgresql://" + hostAndDb + passThrough, user, password,
                    "postgresql://" + hostAndDb);
        }
        if (v.startsWith("h2:mem:")) {
            String name = v.substring(7);
            return new StoreLocation(Kind.H2, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "", v);
        }
        String path = v.startsWith("h2:") ? v.substring(3) : v.startsWith("file:") ? v.substring(5) : v;
        if (path.contains(";") || path.contains("://")) {
            throw new IllegalArgumentException("store '" + v + "': not a PostgreSQL URL nor a file path for the embedded H2 store");
        }
        Path file = Path.of(path).toAbsolutePath().normalize();
        return new StoreLocation(Kind.H2, "jdbc:h2:file:" + file + ";LOCK_TIMEOUT=10000", "sa", "", "h2:" + file);
    }

    @Override
    public String toString() {
        return display;
    }
}
