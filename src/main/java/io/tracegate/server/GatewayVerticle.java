package io.tracegate.server;

import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.ConnectionLimits;
import io.tracegate.upstream.routing.Routes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One event loop's share of the gateway: its own HTTP client and backends, the shared router logic, and a
 * server socket shared with the other instances (Vert.x balances connections across them).
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayServices services;
  private final int port;
  private final ConnectionLimits limits;
  private final ClientConnections connections;
  private final Routes routes;
  private BackendPool backends;
  private ConnectionTimeouts timeouts;
  private HttpServer server;

  /**
   * @param limits the backends' connection limits, shared by every instance
   * @param connections the gateway's client connections (when idle and slow ones are shed), shared likewise
   * @param routes the models' routing state (health, load, round-robin position), shared likewise
   */
  GatewayVerticle(GatewayServices services, int port, ConnectionLimits limits, ClientConnections connections,
      Routes routes) {
    this.services = services;
    this.port = port;
    this.limits = limits;
    this.connections = connections;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    backends = new BackendPool(vertx, context, services.config().models(), limits, routes);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(services.config().server().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setIdleTimeout(0) // ConnectionTimeouts: Vert.x's would also cut clients waiting for a slow model
        // HTTP/1.1 only: to offer the h2c upgrade Vert.x holds a connection back until its first request's
        // headers are complete, so a slowloris connection would never reach ConnectionTimeouts
        .setHttp2ClearTextEnabled(false);
    timeouts = new ConnectionTimeouts(vertx, services.config().server(), services.metrics(), connections);
    Router router = GatewayRouter.build(vertx, services, backends, timeouts);
    return vertx.createHttpServer(options)
        .connectionHandler(timeouts::connected)
        .requestHandler(request -> {
          timeouts.request(request);
          router.handle(request);
        })
        .listen()
        .onSuccess(s -> {
          server = s;
          timeouts.start();
        });
  }

  @Override
  public Future<?> stop() {
    if (timeouts != null) {
      timeouts.stop();
    }
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
