package io.tracegate.config;

import java.time.Duration;

/**
 * HTTP server settings.
 *
 * @param instances event-loop verticle instances; 0 means one per available core
 * @param maxBodyBytes largest accepted request body; larger bodies get 413
 * @param maxApiPageBytes byte budget of one {@code GET /api/spans} page (approximate size of its spans); a page
 *     is cut early, with a {@code next_cursor}, once its spans reach it (a single larger span still comes alone)
 * @param shutdownGrace on shutdown, how long in-flight requests and streams may take to finish before they
 *     are cut (recorded as cancelled: shutdown)
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int instances, long maxApiPageBytes,
    Duration shutdownGrace) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 4000;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_INSTANCES = 0;
  public static final long DEFAULT_MAX_API_PAGE_BYTES = 16L * 1024 * 1024;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public ServerConfig {
    shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
  }

  /** Settings with the default API page budget and shutdown grace period. */
  public ServerConfig(String host, int port, long maxBodyBytes, int instances) {
    this(host, port, maxBodyBytes, instances, DEFAULT_MAX_API_PAGE_BYTES, DEFAULT_SHUTDOWN_GRACE);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_INSTANCES);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, instances, maxApiPageBytes, shutdownGrace);
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
