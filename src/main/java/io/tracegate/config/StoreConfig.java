package io.tracegate.config;

import java.time.Duration;

/**
 * Span store settings.
 *
 * @param path SQLite file (kind sqlite; null otherwise). The loader makes it absolute, resolving a relative
 *     path against the working directory.
 * @param batchSize most spans written in one transaction
 * @param queueCapacity spans accepted but not yet written; beyond this new spans are dropped and counted
 * @param flushInterval longest time an accepted span waits before being written
 * @param url JDBC URL (kind postgres; null otherwise), e.g.
 *     {@code jdbc:postgresql://127.0.0.1:5432/tracegate}
 * @param user database user (kind postgres; null: from the URL or the driver's default)
 * @param password database password by environment reference ({@link SecretRef#NONE} when not configured)
 * @param maxRecordedBody most bytes of one body (request, upstream request, response) kept for the span;
 *     the client still gets every byte, the span keeps the first ones and marks the truncation
 * @param retention spans that started longer ago are dropped in the background; null keeps everything
 */
public record StoreConfig(
    Kind kind,
    String path,
    int batchSize,
    int queueCapacity,
    Duration flushInterval,
    String url,
    String user,
    SecretRef password,
    long maxRecordedBody,
    Duration retention) {

  /** Where spans are kept. */
  public enum Kind {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  public static final String DEFAULT_PATH = "traces/tracegate.db";
  public static final int DEFAULT_BATCH_SIZE = 512;
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);
  public static final long DEFAULT_MAX_RECORDED_BODY = 8L * 1024 * 1024;
  /** Bodies are held in byte arrays: a cap at or above this means "no cap" in practice. */
  public static final long MAX_RECORDED_BODY_LIMIT = Integer.MAX_VALUE - 8;

  public StoreConfig {
    password = password == null ? SecretRef.NONE : password;
    if (retention != null && (retention.isZero() || retention.isNegative())) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    if (maxRecordedBody <= 0) {
      throw new IllegalArgumentException("maxRecordedBody must be positive, got " + maxRecordedBody);
    }
  }

  /** Connection settings with the default recording cap. */
  public StoreConfig(Kind kind, String path, int batchSize, int queueCapacity, Duration flushInterval, String url,
      String user, SecretRef password) {
    this(kind, path, batchSize, queueCapacity, flushInterval, url, user, password, DEFAULT_MAX_RECORDED_BODY, null);
  }

  /** A memory or SQLite store (no connection settings). */
  public StoreConfig(Kind kind, String path, int batchSize, int queueCapacity, Duration flushInterval) {
    this(kind, path, batchSize, queueCapacity, flushInterval, null, null, SecretRef.NONE);
  }

  /** This config with another {@link #maxRecordedBody}. */
  public StoreConfig withMaxRecordedBody(long bytes) {
    return new StoreConfig(kind, path, batchSize, queueCapacity, flushInterval, url, user, password, bytes,
        retention);
  }

  /** This config with another {@link #retention} (null: keep everything). */
  public StoreConfig withRetention(Duration keep) {
    return new StoreConfig(kind, path, batchSize, queueCapacity, flushInterval, url, user, password,
        maxRecordedBody, keep);
  }

  /** {@link #maxRecordedBody} as an array length. */
  public int recordedBodyLimit() {
    return (int) Math.min(maxRecordedBody, MAX_RECORDED_BODY_LIMIT);
  }

  public static StoreConfig defaults() {
    return new StoreConfig(
        Kind.SQLITE, DEFAULT_PATH, DEFAULT_BATCH_SIZE, DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL);
  }

  public static StoreConfig memory() {
    return new StoreConfig(Kind.MEMORY, null, 512, 100_000, Duration.ofMillis(10));
  }

  public static StoreConfig sqlite(String path) {
    return new StoreConfig(Kind.SQLITE, path, 512, 100_000, Duration.ofMillis(10));
  }

  /** A PostgreSQL store with default batching. */
  public static StoreConfig postgres(String url, String user, SecretRef password) {
    return new StoreConfig(
        Kind.POSTGRES, null, DEFAULT_BATCH_SIZE, DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL,
        url, user, password);
  }
}
