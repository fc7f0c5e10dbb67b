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
 * @param headerTimeout a new connection must deliver its first request's headers within this
 * @param bodyTimeout a request's body must be complete within this of its headers (then 408, connection closed)
 * @param idleTimeout a kept-alive connection with no request in progress is closed after this; the next
 *     request's headers must be complete by then. Never applies while a request is being answered.
 * @param shedConnectionsAbove when more client connections than this are open, the oldest ones that are not
 *     being answered (still sending headers or a body, or idle between requests) are closed to make room for
 *     new ones; {@link #SHED_AUTO} derives it from the process's descriptor limit at start, {@link #SHED_OFF}
 *     never sheds
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int instances, long maxApiPageBytes,
    Duration shutdownGrace, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
    int shedConnectionsAbove) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 4000;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_INSTANCES = 0;
  public static final long DEFAULT_MAX_API_PAGE_BYTES = 16L * 1024 * 1024;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /** As nginx's client_header_timeout: clients that open connections before they use them are not cut. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** {@code shed_connections_above: auto}: half of the descriptors free at start. */
  public static final int SHED_AUTO = -1;
  /** {@code shed_connections_above: off}. */
  public static final int SHED_OFF = 0;

  public ServerConfig {
    shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
    headerTimeout = headerTimeout == null ? DEFAULT_HEADER_TIMEOUT : headerTimeout;
    bodyTimeout = bodyTimeout == null ? DEFAULT_BODY_TIMEOUT : bodyTimeout;
    idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
  }

  /** Settings with the defaults for the API page budget, the shutdown grace period and connection timeouts. */
  public ServerConfig(String host, int port, long maxBodyBytes, int instances) {
    this(host, port, maxBodyBytes, instances, DEFAULT_MAX_API_PAGE_BYTES, DEFAULT_SHUTDOWN_GRACE, null, null, null,
        SHED_AUTO);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_INSTANCES);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, instances, maxApiPageBytes, shutdownGrace, headerTimeout,
        bodyTimeout, idleTimeout, shedConnectionsAbove);
  }

  /** The same settings with other connection timeouts. */
  public ServerConfig withTimeouts(Duration header, Duration body, Duration idle) {
    return new ServerConfig(host, port, maxBodyBytes, instances, maxApiPageBytes, shutdownGrace, header, body, idle,
        shedConnectionsAbove);
  }

  /** The same settings with another shutdown grace period. */
  public ServerConfig withShutdownGrace(Duration grace) {
    return new ServerConfig(host, port, maxBodyBytes, instances, maxApiPageBytes, grace, headerTimeout,
        bodyTimeout, idleTimeout, shedConnectionsAbove);
  }

  /** The same settings with another shedding threshold ({@link #SHED_AUTO}, {@link #SHED_OFF} or a count). */
  public ServerConfig withShedConnectionsAbove(int connections) {
    return new ServerConfig(host, port, maxBodyBytes, instances, maxApiPageBytes, shutdownGrace, headerTimeout,
        bodyTimeout, idleTimeout, connections);
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
