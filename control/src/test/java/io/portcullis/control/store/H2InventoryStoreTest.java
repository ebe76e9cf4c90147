package io.portcullis.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file database (the default store). */
class H2InventoryStoreTest extends InventoryStoreContract {
    @TempDir
    Path dir;
    private String location;

    @Override
    String freshLocation() {
        location = dir.resolve("inventory").toString();
        return location;
    }

    @Override
    String currentLocation() {
        return location;
    }

    @Test
    void theDefaultStoreIsAnH2FileCreatedOnFirstUse() {
        assertThat(Files.exists(dir.resolve("inventory.mv.db"))).isTrue();
        assertThat(StoreLocation.defaultLocation().kind()).isEqualTo(StoreLocation.Kind.H2);
    }

    @Test
    void postgresUrlsAreParsedAndNeverDisplayTheirPassword() {
        StoreLocation pg = StoreLocation.parse("postgresql://db.internal:5433/inventory?user=portcullis&password=s3cr%40t&sslmode=require");
        assertThat(pg.kind()).isEqualTo(StoreLocation.Kind.POSTGRESQL);
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/inventory?sslmode=require");
        assertThat(pg.user()).isEqualTo("portcullis");
        assertThat(pg.password()).isEqualTo("s3cr@t");
        assertThat(pg.toString()).isEqualTo("postgresql://db.internal:5433/inventory").doesNotContain("s3cr");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://u:pw@db/x")).hasMessageContaining("?user=").hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://db:5432")).hasMessageContaining("postgresql://host[:port]/database");
        assertThatThrownBy(() -> StoreLocation.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void anUnreachableServerIsAClearErrorWithoutCredentials() {
        assertThatThrownBy(() -> InventoryStore.open("postgresql://127.0.0.1:1/none?user=u&password=topsecret&connectTimeout=2"))
                .isInstanceOf(StoreException.class).hasMessageContaining("postgresql://127.0.0.1:1/none").hasMessageNotContaining("topsecret");
    }
}
