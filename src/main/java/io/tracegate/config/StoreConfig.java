package io.tracegate.config;

import java.time.Duration;

/**
 * Span store settings.
 *
 * @param path SQLite file (kind sqlite)
 * @param batchSize most spans written in one transaction
 * @param queueCapacity spans accepted but not yet written; beyond this new spans are dropped and counted
 * @param flushInterval longest time an accepted span waits before being written
 */
public record StoreConfig(Kind kind, String path, int batchSize, int queueCapacity, Duration flushInterval) {

  public enum Kind {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  public static final String DEFAULT_PATH = "traces/tracegate.db";

  public static StoreConfig defaults() {
    return new StoreConfig(Kind.SQLITE, DEFAULT_PATH, 512, 100_000, Duration.ofMillis(50));
  }

  public static StoreConfig memory() {
    return new StoreConfig(Kind.MEMORY, null, 512, 100_000, Duration.ofMillis(10));
  }

  public static StoreConfig sqlite(String path) {
    return new StoreConfig(Kind.SQLITE, path, 512, 100_000, Duration.ofMillis(10));
  }
}
