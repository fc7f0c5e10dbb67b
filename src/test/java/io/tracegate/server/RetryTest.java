package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.HealthConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.RetryConfig;
import io.tracegate.config.RoutingStrategy;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.ScriptedUpstream.Failure;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries against one backend, over real HTTP: what is retried, how long the gateway waits, what never is. */
class RetryTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String OVERLOADED = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";
  static ScriptedUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    BackendConfig b = TestGateway.openAi(upstream.openAiBaseUrl(), "backend-model").named("only", 1);
    // health would cool the only backend down after 3 failures; with one backend it fails open anyway
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), List.of(
        new ModelConfig("m", List.of(b)),
        new ModelConfig("no-retries", List.of(b.named("only-no-retries", 1)), RoutingStrategy.FALLBACK,
            RetryConfig.OFF, HealthConfig.DEFAULT),
        new ModelConfig("one-connection", List.of(b.named("one-conn", 1)
            .withConnectionLimit(1, Duration.ofSeconds(2)))))));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.cutStreamsAfter(-1);
    upstream.failWith(0, null);
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static Span onlySpan(String rollout) throws Exception {
    List<Span> spans = gw.awaitSpans(rollout, 1);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void twoServiceUnavailableThenAnAnswer() throws Exception {
    long retriesBefore = gw.metric("tracegate_upstream_retries_total");
    int hitsBefore = upstream.hits();
    upstream.failNext(2, new Failure(503, OVERLOADED));

    HttpResponse<String> r = gw.post(CHAT, chat("m", false), "x-rollout-id", "r-503");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("chat.completion");
    assertThat(upstream.hits() - hitsBefore).isEqualTo(3);
    Span s = onlySpan("r-503");
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.backend()).isEqualTo("only");
    assertThat(s.attempts()).extracting(UpstreamAttempt::backend).containsExactly("only", "only", "only");
    assertThat(s.attempts()).extracting(UpstreamAttempt::status).containsExactly(503, 503, 200);
    assertThat(s.attempts()).extracting(UpstreamAttempt::error).containsExactly("http_503", "http_503", null);
    assertThat(gw.metric("tracegate_upstream_retries_total") - retriesBefore).isEqualTo(2);
  }

  @Test
  void aRetryAfterOfOneSecondIsWaitedFor() throws Exception {
    int first = upstream.hits();
    upstream.failNext(1, new Failure(429, "{\"error\":{\"message\":\"slow down\"}}", "retry-after", "1"));

    HttpResponse<String> r = gw.post(CHAT, chat("m", false), "x-rollout-id", "r-429");

    assertThat(r.statusCode()).isEqualTo(200);
    List<Long> hits = upstream.hitNanos();
    assertThat(hits).hasSize(first + 2);
    long waited = TimeUnit.NANOSECONDS.toMillis(hits.get(first + 1) - hits.get(first));
    assertThat(waited).as("ms between the 429 and the retry").isGreaterThanOrEqualTo(950).isLessThan(8_000);
  }

  @Test
  void aRetryAfterLongerThanMaxBackoffIsNotWaitedForAndReachesTheClient() throws Exception {
    int before = upstream.hits();
    upstream.failNext(1, new Failure(429, "{\"error\":{\"message\":\"come back later\"}}", "retry-after", "60"));

    HttpResponse<String> r = gw.post(CHAT, chat("m", false), "x-rollout-id", "r-429-long");

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("60");
    assertThat(r.body()).contains("come back later");
    assertThat(upstream.hits() - before).isEqualTo(1);
    Span s = onlySpan("r-429-long");
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.attempts()).containsExactly(new UpstreamAttempt("only", 429, "http_429",
        s.attempts().get(0).durationMs()));
  }

  @Test
  void theLastFailureIsWhatTheClientGets() throws Exception {
    int before = upstream.hits();
    upstream.failNext(3, new Failure(502, "{\"error\":{\"message\":\"bad gateway upstream\"}}"));

    HttpResponse<String> r = gw.post(CHAT, chat("m", false), "x-rollout-id", "r-502");

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("bad gateway upstream");
    assertThat(upstream.hits() - before).isEqualTo(3);
    Span s = onlySpan("r-502");
    assertThat(s.statusMessage()).contains("502");
    assertThat(s.attempts()).extracting(UpstreamAttempt::error).containsExactly("http_502", "http_502", "http_502");
  }

  @Test
  void aNonRetryableStatusIsAnsweredAtOnce() throws Exception {
    int before = upstream.hits();
    upstream.failNext(1, new Failure(400, "{\"error\":{\"message\":\"bad request\"}}"));

    HttpResponse<String> r = gw.post(CHAT, chat("m", false), "x-rollout-id", "r-400");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(upstream.hits() - before).isEqualTo(1);
  }

  @Test
  void retriesOffMeansOneAttempt() throws Exception {
    int before = upstream.hits();
    upstream.failNext(1, new Failure(503, OVERLOADED));

    HttpResponse<String> r = gw.post(CHAT, chat("no-retries", false), "x-rollout-id", "r-off");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(upstream.hits() - before).isEqualTo(1);
  }

  @Test
  void aStreamCutAfterItsFirstChunkIsNotRetried() throws Exception {
    int before = upstream.hits();
    upstream.cutStreamsAfter(1);

    HttpResponse<String> r = gw.post(CHAT, chat("m", true), "x-rollout-id", "r-cut");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"role\":\"assistant\"").doesNotContain("[DONE]");
    Span s = onlySpan("r-cut");
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.attempts()).extracting(UpstreamAttempt::status).containsExactly(200);
    assertThat(upstream.hits() - before).isEqualTo(1);
  }

  @Test
  void aClientThatLeavesDuringTheBackoffCancelsTheRetry() throws Exception {
    int before = upstream.hits();
    long answered = recentAttempts();
    upstream.failNext(1, new Failure(503, OVERLOADED, "retry-after", "2"));
    try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(RawHttp.post("/rollout/r-leave/attempt/a1" + CHAT, chat("m", false)));
      out.flush();
      RawHttp.await("the gateway to have the 503", 10, () -> recentAttempts() == answered + 1);
    } // the client leaves while the gateway waits 2 s before its retry

    Span s = onlySpan("r-leave");
    assertThat(s.status()).isEqualTo("cancelled");
    assertThat(s.attempts()).extracting(UpstreamAttempt::error).containsExactly("http_503");
    // the retry was due 2 s after the 503: well past it, the backend has still seen one attempt only
    TimeUnit.MILLISECONDS.sleep(3_000);
    assertThat(upstream.hits() - before).isEqualTo(1);
  }

  @Test
  void anAttemptCutByTheClientLeavingIsListedAsCancelled() throws Exception {
    int before = upstream.hits();
    upstream.holdRequests(); // no answer until the client has gone
    Span s;
    try {
      try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
        OutputStream out = client.getOutputStream();
        out.write(RawHttp.post("/rollout/r-held/attempt/a1" + CHAT, chat("m", false)));
        out.flush();
        RawHttp.await("the attempt to reach the backend", 10, () -> upstream.hits() == before + 1);
      }
      // the answer is held until the span is recorded: the client's leaving decides it, not a race with it
      s = onlySpan("r-held");
    } finally {
      upstream.release();
    }

    assertThat(s.status()).isEqualTo("cancelled");
    assertThat(s.attempts()).hasSize(1);
    assertThat(s.attempts().get(0).backend()).isEqualTo("only");
    assertThat(s.attempts().get(0).status()).isNull();
    assertThat(s.attempts().get(0).error()).isEqualTo("cancelled");
  }

  @Test
  void aFailedAttemptGivesItsConnectionBack() throws Exception {
    int before = upstream.hits();
    upstream.failNext(2, new Failure(503, OVERLOADED));

    // one connection allowed: had a 503's body been left unread, its connection would stay taken and the
    // retry would wait for it (timeouts.pool_wait, 2 s) and fail with 503 upstream_connection_limit
    HttpResponse<String> r = gw.post(CHAT, chat("one-connection", false), "x-rollout-id", "r-conn");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.hits() - before).isEqualTo(3);
    RawHttp.await("the connection to be given back", 10,
        () -> metricLine("tracegate_backend_connections_in_use{backend=\"one-conn\"} 0.0"));
  }

  /** Attempts of backend "only" that got an answer or failed, as GET /api/backends counts them. */
  private static long recentAttempts() {
    try {
      return gw.backendStatus("m", "only").getJsonObject("recent").getLong("attempts");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean metricLine(String line) {
    try {
      return gw.get("/metrics").body().lines().anyMatch(line::equals);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
