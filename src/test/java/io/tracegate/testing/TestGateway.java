package io.tracegate.testing;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Capture;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.ServerConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.server.Gateway;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Builds configs for tests and wraps a running gateway with raw-HTTP and span helpers. */
public final class TestGateway implements AutoCloseable {
  public static final String TEST_KEY_VAR = "TRACEGATE_TEST_KEY";
  public static final String TEST_KEY = "sk-backend-secret";

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  public static TestGateway start(GatewayConfig config) throws Exception {
    return new TestGateway(Gateway.start(config));
  }

  /** An OpenAI-compatible backend with a configured key, short timeouts for tests. */
  public static BackendConfig openAi(String baseUrl, String backendModel) {
    return new BackendConfig(null, Provider.OPENAI, baseUrl, backendModel, new SecretRef(TEST_KEY_VAR, TEST_KEY),
        Set.of(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  public static BackendConfig withTimeouts(BackendConfig b, Duration response) {
    return withTimeouts(b, response, response);
  }

  public static BackendConfig withTimeouts(BackendConfig b, Duration response, Duration idle) {
    return new BackendConfig(b.name(), b.provider(), b.baseUrl(), b.model(), b.apiKey(), b.capture(),
        b.connectTimeout(), response, idle);
  }

  public static BackendConfig withKey(BackendConfig b, SecretRef key) {
    return new BackendConfig(b.name(), b.provider(), b.baseUrl(), b.model(), key, b.capture(),
        b.connectTimeout(), b.responseTimeout(), b.idleTimeout());
  }

  public static BackendConfig mock(Set<Capture> capture) {
    return new BackendConfig(null, Provider.MOCK, null, null, SecretRef.NONE, capture,
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  /**
   * Writes {@code dir/tracegate.yaml} as a user would: loopback on a free port, a SQLite store at
   * {@code dir/dbFile} (plus {@code storeOptions}, e.g. {@code ", flush_interval: 30s"}), the given top-level
   * lines, and one model {@code policy} on the mock with token ids and logprobs captured. Returns the file.
   */
  public static Path writeCapturingPolicyConfig(Path dir, String dbFile, String storeOptions, String... topLevel)
      throws java.io.IOException {
    List<String> lines = new ArrayList<>(List.of("server: { host: 127.0.0.1, port: 0 }",
        "store: { kind: sqlite, path: " + dir.resolve(dbFile) + storeOptions + " }"));
    lines.addAll(List.of(topLevel));
    lines.addAll(List.of("models:", "  - name: policy", "    backends:", "      - provider: mock",
        "        capture: [token_ids, logprobs]", ""));
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n", lines));
    return config;
  }

  public static GatewayConfig config(StoreConfig store, long maxBody, Map<String, BackendConfig> models) {
    List<ModelConfig> list = new ArrayList<>();
    models.forEach((name, backend) -> list.add(new ModelConfig(name, List.of(backend))));
    // a short shutdown grace period: a test that closes its gateway with a call still running waits 2 s, not 30
    return new GatewayConfig(null, new ServerConfig("127.0.0.1", 0, maxBody, 2)
        .withShutdownGrace(Duration.ofSeconds(2)), store, list, null);
  }

  /** A gateway on loopback with these models (e.g. several backends each, with routing settings). */
  public static GatewayConfig config(StoreConfig store, List<ModelConfig> models) {
    return new GatewayConfig(null, new ServerConfig("127.0.0.1", 0, 1 << 20, 2)
        .withShutdownGrace(Duration.ofSeconds(2)), store, models, null);
  }

  /** The entry of {@code GET /api/backends} for backend {@code name} of {@code model}. */
  public io.vertx.core.json.JsonObject backendStatus(String model, String name) throws Exception {
    io.vertx.core.json.JsonObject all = new io.vertx.core.json.JsonObject(get("/api/backends").body());
    for (Object o : all.getJsonArray("backends")) {
      io.vertx.core.json.JsonObject b = (io.vertx.core.json.JsonObject) o;
      if (b.getString("model").equals(model) && b.getString("name").equals(name)) {
        return b;
      }
    }
    throw new AssertionError("no backend " + name + " of model " + model + " in " + all.encodePrettily());
  }

  /** The value of an unlabelled series in {@code GET /metrics}. */
  public long metric(String name) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + name + " in /metrics");
  }

  public Gateway gateway() {
    return gateway;
  }

  public String url(String path) {
    return gateway.baseUrl() + path;
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until every span accepted so far is persisted, then returns the spans of a rollout (or all). */
  public List<Span> spans(String rolloutId) throws Exception {
    flush();
    return gateway.services().store().query(new SpanQuery(rolloutId, null, null, null, 1000, null)).spans();
  }

  public void flush() throws Exception {
    gateway.services().writer().flush().get(10, TimeUnit.SECONDS);
  }

  /** Polls until the rollout has {@code count} persisted spans (a request may still be finishing). */
  public List<Span> awaitSpans(String rolloutId, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Span> spans = spans(rolloutId);
      if (spans.size() >= count) {
        return spans;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " spans for rollout " + rolloutId + ", found " + spans.size());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Waits until {@code count} spans were accepted (requests may still be finishing), then flushes. */
  public void awaitAccepted(long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gateway.services().writer().stats().accepted() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " spans, accepted "
            + gateway.services().writer().stats().accepted());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    flush();
  }

  @Override
  public void close() {
    gateway.close();
  }
}
