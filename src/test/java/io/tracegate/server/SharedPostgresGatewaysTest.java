package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two gateways (two Vert.x instances, as two processes would be) on one PostgreSQL database: sequence ids come
 * from the database, so concurrent requests on one rollout through both get distinct gapless ids, requests in
 * turn get increasing ids whichever gateway serves them, rewards take the next id, and ids continue after both
 * restart. Each gateway reads what the other wrote.
 */
class SharedPostgresGatewaysTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void twoGatewaysOnOneDatabaseShareSequenceIdsAcrossConcurrencyRewardsAndRestarts() throws Exception {
    StoreConfig store = TestPostgres.newDatabase();
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
      GatewayConfig config = TestGateway.config(store, 1 << 20,
          Map.of("gpt-test", TestGateway.openAi(upstream.baseUrl(), null)));
      try (TestGateway a = TestGateway.start(config); TestGateway b = TestGateway.start(config)) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(chat(a, "shared", "a" + i));
          calls.add(chat(b, "shared", "b" + i));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
          assertThat(c.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        a.flush();
        List<Span> spans = b.awaitSpans("shared", 100); // b reads a's spans too: one database
        assertThat(spans).hasSize(100);
        assertThat(spans).extracting(Span::sequenceId).containsExactlyInAnyOrderElementsOf(range(1, 100));

        // in turn, through either gateway: each request's id is larger than the one before
        List<Long> inTurn = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          TestGateway gw = i % 2 == 0 ? a : b;
          assertThat(chat(gw, "shared", "turn" + i).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
          inTurn.add(lastSequenceId(gw, "shared"));
        }
        assertThat(inTurn).containsExactlyElementsOf(range(101, 106));

        HttpResponse<String> reward = b.post("/api/rollouts/shared/rewards", "{\"value\": 1.0}");
        assertThat(reward.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(reward.body()).path("sequence_id").asLong()).isEqualTo(107L);
      }
      try (TestGateway a = TestGateway.start(config); TestGateway b = TestGateway.start(config)) {
        assertThat(chat(b, "shared", "after restart").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(lastSequenceId(b, "shared")).isEqualTo(108L);
        JsonNode summary = JSON.readTree(a.get("/api/rollouts/shared").body());
        assertThat(summary.path("max_sequence_id").asLong()).as(summary.toString()).isEqualTo(108L);
        assertThat(summary.path("spans").asLong()).as(summary.toString()).isEqualTo(108L);
      }
    }
  }

  private CompletableFuture<HttpResponse<String>> chat(TestGateway gw, String rollout, String text) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/" + rollout + "/attempt/a1/v1/chat/completions")))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"))
        .build();
    return client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  /** The sequence id of the rollout's latest span written by {@code gw}. */
  private static long lastSequenceId(TestGateway gw, String rollout) throws Exception {
    List<Span> spans = gw.spans(rollout);
    return spans.stream().mapToLong(Span::sequenceId).max().orElseThrow();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
