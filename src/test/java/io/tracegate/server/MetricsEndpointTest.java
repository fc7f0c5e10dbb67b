package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.ServerConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real gateway after real traffic (SQLite store, fake OpenAI upstream over loopback):
 * Prometheus' own {@code promtool check metrics} accepts it, the latency histograms and token/cost counters carry
 * bounded labels (an unknown model is {@code other}), and every metric name documented before stays.
 */
class MetricsEndpointTest {
  private static final String CHAT = "/v1/chat/completions";
  /** Debian's prometheus package installs it here; .ci/run installs it when missing. */
  private static final List<String> PROMTOOL = List.of("/usr/bin/promtool", "/usr/local/bin/promtool");

  @TempDir static Path dir;
  static FakeOpenAiUpstream upstream;
  static TestGateway gw;
  static String backend;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    Path pricing = dir.resolve("pricing.yaml");
    Files.writeString(pricing, "models:\n  gpt-5-mini: { input: 0.25, output: 2.00, cache_read: 0.025 }\n");
    BackendConfig b = TestGateway.openAi(upstream.baseUrl(), "gpt-5-mini");
    backend = "openai:" + upstream.baseUrl();
    List<ModelConfig> models = List.of(new ModelConfig("gpt-test", List.of(b)), new ModelConfig("fam-*", List.of(b)),
        new ModelConfig("dash-model", List.of(b)));
    gw = TestGateway.start(new GatewayConfig(null, new ServerConfig("127.0.0.1", 0, 1 << 20, 2)
        .withShutdownGrace(Duration.ofSeconds(2)), StoreConfig.sqlite(dir.resolve("spans.db").toString()), models,
        pricing));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void promtoolAcceptsMetricsWithBoundedLabelsAfterTraffic() throws Exception {
    long answeredBefore = gw.metric("tracegate_requests_answered_total");
    long persistedBefore = gw.metric("tracegate_spans_persisted_total");
    assertThat(gw.post(CHAT, chat("gpt-test", false), "x-rollout-id", "m1").statusCode()).isEqualTo(200);
    assertThat(gw.post(CHAT, chat("gpt-test", false), "x-rollout-id", "m1").statusCode()).isEqualTo(200);
    HttpResponse<String> streamed = gw.post(CHAT, chat("gpt-test", true), "x-rollout-id", "m1");
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.body()).contains("[DONE]");
    assertThat(gw.post(CHAT, chat("fam-anything", false), "x-rollout-id", "m1").statusCode()).isEqualTo(200);
    String unknown = "client-invented-model-" + System.nanoTime();
    assertThat(gw.post(CHAT, chat(unknown, false), "x-rollout-id", "m1").statusCode()).isEqualTo(404);
    gw.awaitSpans("m1", 5); // usage and cost are counted where the writer builds the spans

    HttpResponse<String> scraped = gw.get("/metrics");
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    String text = scraped.body();

    String promtool = promtool(text);
    assertThat(promtool).as("promtool check metrics output").isEmpty();

    // latency histograms: configured model (exact or the glob itself), backend, status class
    String ok = "model=\"gpt-test\",status=\"2xx\"";
    assertThat(sample(text, "tracegate_request_duration_seconds_count", ok, backend)).isEqualTo(3);
    assertThat(sample(text, "tracegate_upstream_duration_seconds_count", ok, backend)).isEqualTo(3);
    assertThat(sample(text, "tracegate_time_to_first_token_seconds_count", ok, backend)).isEqualTo(1);
    assertThat(sample(text, "tracegate_request_duration_seconds_bucket", ok + ",le=\"+Inf\"", backend))
        .isEqualTo(3);
    assertThat(text).contains("# TYPE tracegate_request_duration_seconds histogram");
    assertThat(sample(text, "tracegate_request_duration_seconds_count", "model=\"fam-*\",status=\"2xx\"", backend))
        .isEqualTo(1);
    assertThat(sample(text, "tracegate_request_duration_seconds_count",
        "backend=\"none\",model=\"other\",status=\"4xx\"", null)).isEqualTo(1);
    assertThat(text).doesNotContain(unknown);

    // tokens by type (input includes cached tokens) and cost, by model; fake upstream: 12 in (4 cached), 5 out
    assertThat(sample(text, "tracegate_tokens_total", "model=\"gpt-test\",type=\"input\"", null)).isEqualTo(36);
    assertThat(sample(text, "tracegate_tokens_total", "model=\"gpt-test\",type=\"cache_read\"", null))
        .isEqualTo(12);
    assertThat(sample(text, "tracegate_tokens_total", "model=\"gpt-test\",type=\"output\"", null)).isEqualTo(15);
    assertThat(sample(text, "tracegate_tokens_total", "model=\"gpt-test\",type=\"reasoning\"", null)).isZero();
    assertThat(sample(text, "tracegate_tokens_total", "model=\"gpt-test\",type=\"cache_write\"", null)).isZero();
    // 3 x (8 uncached x 0.25 + 4 cached x 0.025 + 5 out x 2.00) / 1e6
    assertThat(sample(text, "tracegate_cost_usd_total", "model=\"gpt-test\"", null))
        .isCloseTo(3 * 12.1e-6, Offset.offset(1e-9));

    assertThat(sample(text, "tracegate_requests_in_flight", "", null)).isZero();
    assertThat(sample(text, "tracegate_requests_answered_total", "", null) - answeredBefore).isEqualTo(5);
    assertThat(sample(text, "tracegate_spans_persisted_total", "", null) - persistedBefore).isEqualTo(5);
  }

  @Test
  void inFlightGaugeCountsARunningStreamUntilItEnds() throws Exception {
    upstream.gateAfterFirstChunk();
    CompletableFuture<HttpResponse<String>> running;
    try {
      running = CompletableFuture.supplyAsync(() -> {
        try {
          return gw.post(CHAT, chat("dash-model", true), "x-rollout-id", "flight");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      RawHttp.await("the stream counted in flight", 20,
          () -> inFlight() == 1);
    } finally {
      upstream.releaseGate();
    }
    assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    RawHttp.await("nothing in flight once it ended", 20, () -> inFlight() == 0);
  }

  private static long inFlight() {
    try {
      return gw.metric("tracegate_requests_in_flight");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyMetricDocumentedBeforeKeepsItsNameAndType() throws Exception {
    String text = gw.get("/metrics").body();
    String[][] kept = {
        {"tracegate_requests_answered_total", "counter"}, {"tracegate_requests_failed_total", "counter"},
        {"tracegate_spans_accepted_total", "counter"}, {"tracegate_spans_persisted_total", "counter"},
        {"tracegate_spans_failed_total", "counter"}, {"tracegate_spans_dropped_total", "counter"},
        {"tracegate_span_writer_queue_depth", "gauge"}, {"tracegate_span_writer_queue_capacity", "gauge"},
        {"tracegate_span_writer_failed_writes_total", "counter"}, {"tracegate_span_writer_failing_writes", "gauge"},
        {"tracegate_span_queue_depth", "gauge"}, {"tracegate_connections_closed_total", "counter"},
        {"tracegate_client_connections", "gauge"}, {"tracegate_client_connections_accepted_total", "counter"},
        {"tracegate_backend_connections_in_use", "gauge"}, {"tracegate_backend_connections_waiting", "gauge"},
        {"tracegate_backend_connections_max", "gauge"}, {"tracegate_upstream_retries_total", "counter"},
        {"tracegate_upstream_fallbacks_total", "counter"}, {"tracegate_backends_in_cooldown", "gauge"},
        {"tracegate_paused", "gauge"}, {"tracegate_pause_held_requests", "gauge"},
        {"tracegate_pause_rejected_total", "counter"}, {"tracegate_pause_in_flight_requests", "gauge"}};
    for (String[] m : kept) {
      assertThat(text).as(m[0]).contains("# TYPE " + m[0] + " " + m[1] + "\n");
      assertThat(text).as(m[0]).containsPattern("(?m)^" + Pattern.quote(m[0]) + "[{ ]");
    }
    for (String reason : new String[] {"header_timeout", "body_timeout", "idle_timeout", "shed", "refused"}) {
      assertThat(text).contains("tracegate_connections_closed_total{reason=\"" + reason + "\"} ");
    }
  }

  /**
   * The Grafana dashboard under docs/ is built on metrics that exist: every metric its queries name is in
   * {@code /metrics} after traffic, and every query is valid PromQL for {@code promtool check rules} (Grafana's
   * variables replaced by plain values).
   */
  @Test
  void grafanaDashboardQueriesAreValidPromqlOnExposedMetrics() throws Exception {
    // its own model: the other test counts gpt-test's series exactly
    assertThat(gw.post(CHAT, chat("dash-model", true), "x-rollout-id", "dash").statusCode()).isEqualTo(200);
    gw.awaitSpans("dash", 1);
    String text = gw.get("/metrics").body();
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("docs/grafana/tracegate-dashboard.json").toFile());
    List<String> exprs = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
    assertThat(exprs).hasSizeGreaterThan(20);
    ArrayNode rules = new ObjectMapper().createArrayNode();
    Matcher names = Pattern.compile("tracegate_[a-z_]+").matcher(String.join("\n", exprs));
    while (names.find()) {
      assertThat(text).as("dashboard metric " + names.group()).containsPattern("(?m)^" + names.group() + "[{ ]");
    }
    for (int i = 0; i < exprs.size(); i++) {
      String promql = exprs.get(i).replace("$__rate_interval", "5m").replace("$__range", "1h")
          .replace("$model", ".*").replace("$backend", ".*");
      rules.addObject().put("record", "dashboard:query" + i).put("expr", promql);
    }
    Path file = dir.resolve("dashboard-rules.yaml"); // JSON is YAML
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.putArray("groups").addObject().put("name", "dashboard").set("rules", rules);
    Files.writeString(file, root.toString());
    Process p = new ProcessBuilder(promtoolPath(), "check", "rules", file.toString()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check rules said:\n" + out).isZero();
  }

  /**
   * The value of the one series of {@code name} whose labels include {@code labels} (as rendered, in name
   * order) and, when given, {@code backend="..."}.
   */
  private static double sample(String text, String name, String labels, String backendLabel) {
    Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$");
    Matcher m = line.matcher(text);
    Double found = null;
    while (m.find()) {
      String set = m.group(1) == null ? "" : m.group(1);
      if (set.contains(labels) && (backendLabel == null || set.contains("backend=\"" + backendLabel + "\""))) {
        assertThat(found).as("one series of " + name + " with " + labels).isNull();
        found = Double.parseDouble(m.group(2));
      }
    }
    assertThat(found).as(name + "{" + labels + "} in\n" + text).isNotNull();
    return found;
  }

  /** Runs {@code promtool check metrics} on the text; returns what it reported (empty when it found nothing). */
  private static String promtool(String text) throws Exception {
    Process p = new ProcessBuilder(promtoolPath(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics exit code; it said:\n" + out).isZero();
    return out.strip();
  }

  private static String promtoolPath() {
    String exe = PROMTOOL.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
    assertThat(exe).as("promtool is needed for this test: install Debian's prometheus package"
        + " (apt-get install -y prometheus); .ci/run does when it is missing").isNotNull();
    return exe;
  }
}
