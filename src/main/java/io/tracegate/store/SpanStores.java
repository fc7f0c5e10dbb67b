package io.tracegate.store;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import java.nio.file.Path;

/**
 * Opens the span store a {@link StoreConfig} names. The gateway opens it read-write; CLI commands open
 * the same file read-only while the gateway may still be writing it.
 */
public final class SpanStores {

  private SpanStores() {}

  /**
   * @param readOnly attach to an existing store without writing (sqlite); a memory store is always empty
   *     and private to this process, so the flag changes nothing there
   * @throws IllegalArgumentException for a kind this build cannot open (postgres) or a missing path
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
      case POSTGRES -> throw new IllegalArgumentException(
          "store.kind postgres is not available yet: use sqlite (default) or memory");
    };
  }
}
