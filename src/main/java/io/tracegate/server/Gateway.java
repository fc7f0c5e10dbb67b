package io.tracegate.server;

import io.tracegate.config.GatewayConfig;
import io.tracegate.config.PriceTable;
import io.tracegate.config.PricingLoader;
import io.tracegate.protocol.anthropic.TokenEstimator;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.trace.CostCalculator;
import io.tracegate.trace.Recorder;
import io.tracegate.upstream.ConnectionLimits;
import io.tracegate.upstream.ModelRouter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running gateway: Vert.x (native transport when available), the span store and its writer, and one
 * {@link GatewayVerticle} per core. {@link #close()} stops accepting requests, lets the writer persist every
 * accepted span, then closes the store.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final GatewayServices services;
  private final int port;
  private volatile boolean closed;

  private Gateway(Vertx vertx, GatewayServices services, int port) {
    this.vertx = vertx;
    this.services = services;
    this.port = port;
  }

  /** Starts a gateway and blocks until it listens. Must not be called from an event loop. */
  public static Gateway start(GatewayConfig config) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    SpanStore store = null;
    BatchingSpanWriter writer = null;
    try {
      store = SpanStores.open(config.store(), false);
      writer = BatchingSpanWriter.start(store, config.store());
      PriceTable prices = PricingLoader.load(config);
      Recorder recorder = new Recorder(new CostCalculator(prices));
      SpanStore storeRef = store;
      SequenceAllocator sequences = new SequenceAllocator(
          rollout -> vertx.executeBlocking(() -> storeRef.maxSequenceId(rollout), false));
      GatewayServices services = new GatewayServices(config, new ModelRouter(config.models()), sequences,
          new SpanSink(writer, recorder), store, writer, new GatewayMetrics());
      int port = deploy(vertx, services);
      // load the count_tokens estimator's encoding now rather than on the first request
      vertx.executeBlocking(() -> {
        TokenEstimator.warmUp();
        return null;
      }, false);
      LOG.info(() -> "tracegate listening on http://" + config.server().host() + ":" + port + " (store: "
          + services.store().describe() + ", transport: " + (vertx.isNativeTransportEnabled() ? "native" : "nio")
          + ", event loops: " + config.server().effectiveInstances() + ")");
      return new Gateway(vertx, services, port);
    } catch (Exception | Error e) {
      if (writer != null) {
        writer.close();
      }
      if (store != null) {
        store.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Deploys one verticle per configured instance. They share one server socket; with port 0 Vert.x gives
   * every instance the same ephemeral port, which is read back from one of them.
   */
  private static int deploy(Vertx vertx, GatewayServices services) throws Exception {
    int instances = services.config().server().effectiveInstances();
    int configured = services.config().server().port();
    List<GatewayVerticle> deployed = new CopyOnWriteArrayList<>();
    ConnectionLimits limits = new ConnectionLimits(services.config().models());
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.EVENT_LOOP)
        .setInstances(instances);
    vertx.deployVerticle(() -> {
      GatewayVerticle v = new GatewayVerticle(services, configured, limits);
      deployed.add(v);
      return v;
    }, options).await(30, TimeUnit.SECONDS);
    return deployed.get(0).actualPort();
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + services.config().server().host() + ":" + port;
  }

  public GatewayServices services() {
    return services;
  }

  /** Stops serving, persists every accepted span, closes the store. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning("vert.x did not close cleanly: " + e);
    }
    services.writer().close();
    var stats = services.writer().stats();
    services.store().close();
    LOG.info(() -> "tracegate stopped: requests answered " + services.metrics().answered() + ", spans accepted "
        + stats.accepted() + ", persisted " + stats.persisted() + ", failed " + stats.failed() + ", dropped "
        + stats.dropped());
  }
}
