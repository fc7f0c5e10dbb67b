package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend's {@code max_connections} caps its connections for the whole gateway (both event loops here):
 * more concurrent streams than that wait for a free connection and then complete; a wait longer than
 * {@code timeouts.pool_wait} is a 503 saying so, not an upstream timeout.
 */
class ConnectionLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeOpenAiUpstream upstream;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    BackendConfig base = TestGateway.withTimeouts(TestGateway.openAi(upstream.baseUrl(), "backend-model"),
        Duration.ofSeconds(30), Duration.ofSeconds(30));
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("two-connections", base.withConnectionLimit(2, Duration.ofSeconds(60)));
    models.put("one-connection", base.withConnectionLimit(1, Duration.ofMillis(500)));
    models.put("one-patient", base.withConnectionLimit(1, Duration.ofSeconds(60)));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20, models));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  /**
   * A call waiting for a connection whose client leaves is cancelled and never sent: when the connection
   * frees up, the next call gets it (the wait here is a minute, so the call would still be waiting).
   */
  @Test
  void aClientThatLeavesWhileWaitingForAConnectionIsNeverSent() throws Exception {
    upstream.streamSteadily(20, 16, 100); // holds the only connection ~2 s
    CompletableFuture<HttpResponse<String>> holder = stream("one-patient", "holder-2");
    RawHttp.await("the holder reached the upstream", 10, () -> upstream.activeRequests() == 1);
    upstream.takeRequest();
    try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
      client.getOutputStream().write(RawHttp.post("/rollout/gave-up/attempt/a" + CHAT,
          "{\"model\":\"one-patient\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"ghost\"}]}"));
      client.getOutputStream().flush();
      TimeUnit.MILLISECONDS.sleep(300); // lets the gateway queue it behind the holder
    }
    Span s = gw.awaitSpans("gave-up", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).contains("client disconnected");
    assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    HttpResponse<String> next = stream("one-patient", "next").get(30, TimeUnit.SECONDS);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().encode()).as("the next call got the connection, not the one that left")
        .doesNotContain("ghost");
    assertThat(upstream.maxActiveRequests()).isEqualTo(1);
  }

  /** /metrics shows, per backend, the connections in use, the calls waiting for one, and the limit. */
  @Test
  void metricsShowConnectionsInUseAndCallsWaiting() throws Exception {
    upstream.streamSteadily(30, 16, 100); // each stream holds its connection ~3 s
    CompletableFuture<HttpResponse<String>> holder = stream("one-patient", "metrics-1");
    RawHttp.await("the holder reached the upstream", 10, () -> upstream.activeRequests() == 1);
    CompletableFuture<HttpResponse<String>> waiter = stream("one-patient", "metrics-2");
    // the three models' backends share one base URL, so one series sums them: limits 2 + 1 + 1
    String series = "{backend=\"openai:" + upstream.baseUrl() + "\"} ";
    RawHttp.await("the second call waits", 10,
        () -> metricsContain("tracegate_backend_connections_waiting" + series + "1"));
    String metrics = gw.get("/metrics").body();
    assertThat(metrics).contains("tracegate_backend_connections_in_use" + series + "1")
        .contains("tracegate_backend_connections_max" + series + "4")
        .contains("# TYPE tracegate_backend_connections_waiting gauge");
    assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(waiter.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    RawHttp.await("every connection given back", 10,
        () -> metricsContain("tracegate_backend_connections_in_use" + series + "0"));
  }

  private boolean metricsContain(String line) {
    try {
      return gw.get("/metrics").body().contains(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private CompletableFuture<HttpResponse<String>> stream(String model, String rollout) {
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/" + rollout + "/attempt/a" + CHAT)))
        .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void moreStreamsThanConnectionsWaitTheirTurnAndAllComplete() throws Exception {
    upstream.streamSteadily(8, 16, 50); // each stream holds its connection ~0.4 s
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      calls.add(stream("two-connections", "queued"));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains(FakeOpenAiUpstream.steadyPiece(7, 16)).endsWith("data: [DONE]\n\n");
    }
    assertThat(upstream.maxActiveRequests()).as("connections the backend saw at once").isEqualTo(2);
    List<Span> spans = gw.awaitSpans("queued", 7);
    assertThat(spans).extracting(Span::status).containsOnly("ok");
  }

  @Test
  void waitingLongerThanPoolWaitIs503NotAnUpstreamTimeout() throws Exception {
    upstream.streamSteadily(40, 16, 100); // holds the only connection ~4 s
    CompletableFuture<HttpResponse<String>> holder = stream("one-connection", "holder");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upstream.activeRequests() < 1 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertThat(upstream.activeRequests()).isEqualTo(1);
    HttpResponse<String> r = stream("one-connection", "starved").get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_connection_limit");
    assertThat(error.path("message").asText())
        .contains("no free connection to backend").contains("within 500 ms").contains("max_connections 1");
    Span s = gw.awaitSpans("starved", 1).get(0);
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.statusMessage()).contains("no free connection to backend").doesNotContain("timed out");
    assertThat(s.attributes()).containsEntry("error.type", "upstream_connection_limit")
        .containsEntry("tracegate.http.status_code", 503);
    assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(upstream.maxActiveRequests()).isEqualTo(1);
  }
}
