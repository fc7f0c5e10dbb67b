package io.tracegate.server;

import io.tracegate.auth.Exposure;
import io.tracegate.auth.KeyRing;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.PriceTable;
import io.tracegate.config.PricingLoader;
import io.tracegate.protocol.anthropic.TokenEstimator;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.KeyStore;
import io.tracegate.store.SpanRetention;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.telemetry.Metrics;
import io.tracegate.telemetry.OtlpExports;
import io.tracegate.telemetry.OtlpSpanExport;
import io.tracegate.trace.CostCalculator;
import io.tracegate.trace.Recorder;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.ConnectionLimits;
import io.tracegate.upstream.ModelRouter;
import io.tracegate.upstream.routing.PauseGate;
import io.tracegate.upstream.routing.Routes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running gateway: Vert.x (native transport when available), the span store and its writer, and one
 * {@link GatewayVerticle} per core. {@link #close()} stops accepting requests, lets the writer persist every
 * accepted span (and, with {@code telemetry.otlp}, exports the last of them within a bound), then closes the
 * store.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  /** How much longer than our grace period Vert.x's server shutdown waits before closing connections. */
  private static final long SHUTDOWN_SLACK_MILLIS = 10_000;
  /** Longest close() waits for the OTLP export of the last spans once the writer has drained. */
  static final Duration OTLP_FLUSH_BOUND = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final GatewayServices services;
  private final List<GatewayVerticle> verticles;
  private final OtlpSpanExport otlp;
  private final SpanRetention retention;
  private volatile boolean closed;

  private Gateway(Vertx vertx, GatewayServices services, List<GatewayVerticle> verticles, OtlpSpanExport otlp,
      SpanRetention retention) {
    this.vertx = vertx;
    this.services = services;
    this.verticles = verticles;
    this.otlp = otlp;
    this.retention = retention;
  }

  /** Starts a gateway and blocks until it listens. Must not be called from an event loop. */
  public static Gateway start(GatewayConfig config) throws Exception {
    // before anything listens: an exposed host needs an admin key (or an explicit, loud --insecure)
    String exposed = Exposure.check(config.server().host(), config.access());
    if (exposed != null) {
      LOG.warning(exposed);
      System.err.println("tracegate: " + exposed);
    }
    ClientConnections connections = new ClientConnections(DescriptorBudget.shedAbove(config.server()));
    Vertx vertx = Vertx.builder().with(new VertxOptions())
        .withTransport(new GatedTransport(connections::acceptGate)).build();
    SpanStore store = null;
    BatchingSpanWriter writer = null;
    OtlpSpanExport otlp = null;
    try {
      store = SpanStores.open(config.store(), false);
      otlp = OtlpExports.start(config.telemetry());
      KeyRing keys = loadKeys(store);
      writer = BatchingSpanWriter.start(store, config.store(), new KeyUsage(keys, otlp));
      PriceTable prices = PricingLoader.load(config);
      Recorder recorder = new Recorder(new CostCalculator(prices));
      SpanStore storeRef = store;
      BatchingSpanWriter writerRef = writer;
      SequenceIds sequences = store.sharedSequences().<SequenceIds>map(StoreSequenceIds::new)
          .orElseGet(() -> new SequenceAllocator(
              rollout -> vertx.executeBlocking(() -> storeRef.maxSequenceId(rollout), false), writerRef::flush,
              SequenceAllocator.DEFAULT_MAX_TRACKED));
      Metrics telemetry = new Metrics(config.models().stream().map(ModelConfig::name).toList(),
          config.models().stream().flatMap(m -> m.backends().stream()).map(Backend::labelOf).toList());
      GatewayServices services = new GatewayServices(config, new ModelRouter(config.models()), sequences,
          new SpanSink(writer, recorder, sequences, telemetry), store, writer,
          new GatewayMetrics(connections, otlp, telemetry), new Drain(),
          new PauseGate(config.pause().holdTimeout(), config.pause().retryAfter()), new RolloutTags(store),
          keys);
      List<GatewayVerticle> verticles = deploy(vertx, services);
      int port = verticles.get(0).actualPort();
      // load the count_tokens estimator's encoding now rather than on the first request
      vertx.executeBlocking(() -> {
        TokenEstimator.warmUp();
        return null;
      }, false);
      LOG.info(() -> "tracegate listening on http://" + config.server().host() + ":" + port + " (store: "
          + services.store().describe() + ", transport: " + (vertx.isNativeTransportEnabled() ? "native" : "nio")
          + ", event loops: " + config.server().effectiveInstances()
          + (config.telemetry().otlp() == null ? "" : ", OTLP export to " + config.telemetry().otlp().describe())
          + ")");
      SpanRetention retention = config.store().retention() == null ? null
          : SpanRetention.start(store, config.store().retention());
      return new Gateway(vertx, services, verticles, otlp, retention);
    } catch (Exception | Error e) {
      if (writer != null) {
        writer.close();
      }
      if (otlp != null) {
        otlp.close(OTLP_FLUSH_BOUND);
      }
      if (store != null) {
        store.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The live virtual keys with their spend so far (a store that keeps no keys has none). */
  private static KeyRing loadKeys(SpanStore store) {
    KeyRing keys = new KeyRing();
    KeyStore keyStore = store.keys();
    if (keyStore != null) {
      keys.load(keyStore.keys(), keyStore.spendByKey());
    }
    return keys;
  }

  /**
   * Deploys one verticle per configured instance. They share one server socket; with port 0 Vert.x gives
   * every instance the same ephemeral port, which is read back from one of them.
   */
  private static List<GatewayVerticle> deploy(Vertx vertx, GatewayServices services) throws Exception {
    int instances = services.config().server().effectiveInstances();
    int configured = services.config().server().port();
    List<GatewayVerticle> deployed = new CopyOnWriteArrayList<>();
    ConnectionLimits limits = new ConnectionLimits(services.config().models());
    Routes routes = new Routes(services.config().models());
    services.metrics().bind(services.metrics().telemetry().registry(), services.writer(), limits.all(),
        services.pauseGate(), routes, services.drain());
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.EVENT_LOOP)
        .setInstances(instances);
    vertx.deployVerticle(() -> {
      GatewayVerticle v = new GatewayVerticle(services, configured, limits, services.metrics().connections(),
          routes);
      deployed.add(v);
      return v;
    }, options).await(30, TimeUnit.SECONDS);
    return List.copyOf(deployed);
  }

  public int port() {
    return verticles.get(0).actualPort();
  }

  public String baseUrl() {
    return "http://" + services.config().server().host() + ":" + port();
  }

  private void drain(long graceMillis) {
    Drain drain = services.drain();
    drain.start();
    for (GatewayVerticle v : verticles) {
      // Vert.x's own graceful shutdown stops accepting and closes idle connections; its deadline is later than
      // ours so that the calls still running at ours are cut here, and recorded as such
      v.shutdown(graceMillis + SHUTDOWN_SLACK_MILLIS);
    }
    try {
      if (!drain.awaitIdle(graceMillis)) {
        int left = drain.inFlight();
        LOG.warning(() -> "shutdown grace period (" + graceMillis + " ms) over: cutting " + left
            + " call(s) still in flight");
        drain.cutAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public GatewayServices services() {
    return services;
  }

  /**
   * Drains, then stops: stops accepting connections (kept-alive idle ones are closed, a request arriving on
   * one gets 503), lets in-flight calls and streams finish for up to {@code server.shutdown_grace}, cuts the
   * rest (their spans say cancelled: shutdown), then persists every accepted span and closes the store.
   * Idempotent. Blocks; never call it on an event loop.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    drain(services.config().server().shutdownGrace().toMillis());
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning("vert.x did not close cleanly: " + e);
    }
    services.writer().close();
    if (otlp != null) {
      otlp.close(OTLP_FLUSH_BOUND); // the writer has handed over its last spans: export them, within the bound
    }
    var stats = services.writer().stats();
    if (retention != null) {
      retention.close();
    }
    services.store().close();
    LOG.info(() -> "tracegate stopped: requests answered " + services.metrics().answered() + ", spans accepted "
        + stats.accepted() + ", persisted " + stats.persisted() + ", failed " + stats.failed() + ", dropped "
        + stats.dropped() + otlpSummary());
  }

  /** {@code "; OTLP spans exported N, dropped M"}, or empty when OTLP export is off: for shutdown lines. */
  public String otlpSummary() {
    return otlp == null ? "" : "; OTLP spans exported " + otlp.exported() + ", dropped " + otlp.dropped();
  }
}
