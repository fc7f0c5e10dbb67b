package io.tracegate.store;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.store.postgres.PostgresSpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import java.nio.file.Path;

/**
 * Opens the span store a {@link StoreConfig} names. The gateway opens it read-write; CLI commands open
 * the same file (or database) read-only while the gateway may still be writing it.
 */
public final class SpanStores {

  private SpanStores() {}

  /**
   * @param readOnly attach to an existing store without writing (sqlite, postgres); a memory store is always empty
   *     and private to this process, so the flag changes nothing there
   * @throws IllegalArgumentException for a missing path or URL
   * @throws StoreException when the store exists but cannot be opened
   */
  public static SpanStore open(StoreConfig config, boolean readOnly) {
    return switch (config.kind()) {
      case MEMORY -> new MemorySpanStore();
      case SQLITE -> {
        if (config.path() == null || config.path().isBlank()) {
          throw new IllegalArgumentException("store.path is required when store.kind is sqlite");
        }
        yield new SqliteSpanStore(Path.of(config.path()), readOnly);
      }
      case POSTGRES -> {
        if (config.url() == null || config.url().isBlank()) {
          throw new IllegalArgumentException("store.url is required when store.kind is postgres");
        }
        yield PostgresSpanStore.open(config, readOnly);
      }
    };
  }
}
