package io.tracegate.upstream;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.upstream.routing.Routes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends of one verticle: every HTTP backend shares the verticle's single HTTP client (held in a field:
 * an unreferenced client is garbage-collected and closed). How many connections a backend may have is
 * decided per backend for the whole gateway ({@link ConnectionLimits}), not by this client's pool.
 */
public final class BackendPool {
  private final HttpClientAgent client;
  private final Map<BackendConfig, Backend> backends = new IdentityHashMap<>();
  private final ConnectionLimits limits;
  private final Routes routes;

  /**
   * @param limits the backends' connection limits, shared by every event loop: they decide when a call waits,
   *     so this loop's client pool is sized never to make a call wait itself
   * @param routes the models' routing state (health, load), shared by every event loop
   */
  public BackendPool(Vertx vertx, Context context, List<ModelConfig> models, ConnectionLimits limits,
      Routes routes) {
    this.limits = limits;
    this.routes = routes;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false))
        .with(new PoolOptions().setHttp1MaxSize(limits.clientPoolSize()).setMaxWaitQueueSize(-1))
        .build();
    for (ModelConfig model : models) {
      for (BackendConfig b : model.backends()) {
        backends.put(b, b.provider() == Provider.MOCK ? new MockBackend(context, b) : new HttpBackend(vertx, client, b, limits.of(b)));
      }
    }
  }

  /** The backends' connection limits, shared by every event loop. */
  public ConnectionLimits limits() {
    return limits;
  }

  /** The models' routing state (health, load), shared by every event loop. */
  public Routes routes() {
    return routes;
  }

  /** This event loop's sender for backend {@code index} of a model. */
  public Backend of(ModelConfig model, int index) {
    return backends.get(model.backends().get(index));
  }

  public Future<Void> close() {
    return client.close();
  }
}
