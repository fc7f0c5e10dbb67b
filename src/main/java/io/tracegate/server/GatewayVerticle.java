package io.tracegate.server;

import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.ConnectionLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One event loop's share of the gateway: its own HTTP client and backends, the shared router logic, and a
 * server socket shared with the other instances (Vert.x balances connections across them).
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayServices services;
  private final int port;
  private final ConnectionLimits limits;
  private BackendPool backends;
  private HttpServer server;

  /** @param limits the backends' connection limits, shared by every instance */
  public GatewayVerticle(GatewayServices services, int port, ConnectionLimits limits) {
    this.services = services;
    this.port = port;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    backends = new BackendPool(vertx, context, services.config().models(), limits);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(services.config().server().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setIdleTimeout(0);
    return vertx.createHttpServer(options)
        .requestHandler(GatewayRouter.build(vertx, services, backends))
        .listen()
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> backends.close());
  }

  /**
   * Starts Vert.x's graceful shutdown of this instance's server: no new connections, idle ones closed, busy
   * ones closed once their response ends or after {@code timeoutMillis}. Returns at once.
   */
  void shutdown(long timeoutMillis) {
    if (server != null) {
      server.shutdown(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
