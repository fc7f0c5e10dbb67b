package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanStoresTest {

  @TempDir Path dir;

  @Test
  void opensAMemoryStore() {
    try (SpanStore store = SpanStores.open(StoreConfig.memory(), false)) {
      assertThat(store).isInstanceOf(MemorySpanStore.class);
    }
  }

  @Test
  void opensTheSqliteFileReadWriteThenReadOnly() {
    Path file = dir.resolve("nested/dirs/tracegate.db");
    StoreConfig config = StoreConfig.sqlite(file.toString());
    try (SpanStore writer = SpanStores.open(config, false);
        SpanStore reader = SpanStores.open(config, true)) {
      assertThat(writer).isInstanceOf(SqliteSpanStore.class);
      assertThat(Files.isRegularFile(file)).isTrue();
      assertThat(reader.describe()).contains("read-only").contains("tracegate.db");
    }
  }

  @Test
  void postgresOpensReadWriteAndReadOnlyAndNeedsAUrl() {
    StoreConfig pg = io.tracegate.testing.TestPostgres.newDatabase();
    try (SpanStore writer = SpanStores.open(pg, false); SpanStore reader = SpanStores.open(pg, true)) {
      assertThat(writer).isInstanceOf(io.tracegate.store.postgres.PostgresSpanStore.class);
      assertThat(writer.sharedSequences()).isPresent();
      assertThat(reader.describe()).startsWith("postgres jdbc:postgresql://127.0.0.1:").contains("read-only");
    }
    StoreConfig noUrl = new StoreConfig(StoreConfig.Kind.POSTGRES, null, 1, 1, Duration.ZERO);
    assertThatThrownBy(() -> SpanStores.open(noUrl, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.url");
  }

  @Test
  void sqliteNeedsAPath() {
    StoreConfig noPath = new StoreConfig(StoreConfig.Kind.SQLITE, " ", 1, 1, Duration.ZERO);
    assertThatThrownBy(() -> SpanStores.open(noPath, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.path");
  }
}
