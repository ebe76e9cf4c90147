package io.portcullis.control.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract on the real PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth). Each test
 * creates a uniquely named database and drops it afterwards.
 */
class PostgresInventoryStoreTest extends InventoryStoreContract {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=10";
    private String database;

    @Override
    String freshLocation() throws Exception {
        database = "portcullis_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return currentLocation();
    }

    @Override
    String currentLocation() {
        return "postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    }

    @AfterEach
    void dropDatabase() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
