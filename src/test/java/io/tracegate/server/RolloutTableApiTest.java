package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/rollout-table}: the rollouts list of the trace UI, computed by the store (SQLite's aggregate and
 * the generic default the in-memory store uses must agree), filtered and paginated on the server.
 */
class RolloutTableApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static String chat(String model, String text) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
        + "\"}],\"max_tokens\":5}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "memory"})
  void columnsFiltersAndPages(String kind) throws Exception {
    StoreConfig store = kind.equals("sqlite") ? StoreConfig.sqlite(dir.resolve("t.db").toString()) : StoreConfig.memory();
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        TestGateway gw = TestGateway.start(TestGateway.config(store, 1 << 20, Map.of(
            "policy", TestGateway.mock(Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS)),
            "cached", TestGateway.openAi(upstream.openAiBaseUrl(), "gpt-x"))))) {
      upstream.script(ScriptedAnswer.oneToolCall()); // 120 input tokens, 64 of them cached
      assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"tagged\",\"metadata\":{\"strategy\":\"s4\"}}")
          .statusCode()).isEqualTo(201);
      // tagged: two calls (policy, cached) in attempt 1, one call in attempt 2, two rewards (last one 0.75)
      ok(gw.post("/rollout/tagged/attempt/1/v1/chat/completions", chat("policy", "a")));
      ok(gw.post("/rollout/tagged/attempt/1/v1/chat/completions", chat("cached", "b")));
      assertThat(gw.post("/api/rollouts/tagged/rewards", "{\"value\":0.25}").statusCode()).isEqualTo(201);
      assertThat(gw.post("/api/rollouts/tagged/attempts", "{}").statusCode()).isEqualTo(201);
      ok(gw.post("/rollout/tagged/attempt/2/v1/chat/completions", chat("policy", "c")));
      assertThat(gw.post("/api/rollouts/tagged/rewards", "{\"value\":0.75}").statusCode()).isEqualTo(201);
      // failing: one call the backend refuses (400, not retried)
      upstream.failNext(1, new ScriptedUpstream.Failure(400, "{\"error\":{\"message\":\"bad\"}}"));
      assertThat(gw.post("/rollout/failing/attempt/1/v1/chat/completions", chat("cached", "d")).statusCode())
          .isEqualTo(400);
      // seven plain rollouts, for paging
      for (int i = 0; i < 7; i++) {
        ok(gw.post("/rollout/plain-" + i + "/attempt/1/v1/chat/completions", chat("policy", "p" + i)));
      }
      gw.awaitSpans("plain-6", 1);
      gw.awaitSpans("failing", 1);

      JsonNode all = table(gw, "");
      assertThat(all.path("total").asLong()).isEqualTo(9);
      assertThat(all.path("rollouts").get(0).path("rollout_id").asText()).isEqualTo("plain-6"); // newest first
      JsonNode tagged = only(table(gw, "?q=tagg"));
      assertThat(tagged.path("rollout_id").asText()).isEqualTo("tagged");
      assertThat(tagged.path("attempts").asLong()).isEqualTo(2);
      assertThat(tagged.path("calls").asLong()).isEqualTo(3);
      assertThat(tagged.path("rewards").asLong()).isEqualTo(2);
      assertThat(tagged.path("reward").asDouble()).isEqualTo(0.75);
      assertThat(tagged.path("status").asText()).isEqualTo("ok");
      assertThat(tagged.path("cache_read_input_tokens").asLong()).isEqualTo(64);
      long input = tagged.path("input_tokens").asLong();
      assertThat(input).isGreaterThan(120);
      assertThat(tagged.path("cache_hit_rate").asDouble()).isEqualTo(64.0 / input);
      assertThat(tagged.path("models").toString()).isEqualTo("[\"cached\",\"policy\"]");
      assertThat(tagged.path("duration_ms").asDouble()).isPositive();
      assertThat(tagged.path("metadata").path("strategy").asText()).isEqualTo("s4");

      assertThat(only(table(gw, "?tag=strategy=s4")).path("rollout_id").asText()).isEqualTo("tagged");
      JsonNode failing = only(table(gw, "?status=error"));
      assertThat(failing.path("rollout_id").asText()).isEqualTo("failing");
      assertThat(failing.path("reward").isNull()).isTrue();
      assertThat(ids(table(gw, "?model=cached"))).containsExactlyInAnyOrder("tagged", "failing");
      assertThat(table(gw, "?status=ok").path("total").asLong()).isEqualTo(8);
      assertThat(table(gw, "?until=2000-01-01T00:00:00Z").path("total").asLong()).isZero();
      assertThat(table(gw, "?since=1h").path("total").asLong()).isEqualTo(9);

      // pages of 4: 4 + 4 + 1, no rollout twice, in the order of the whole list
      List<String> paged = new ArrayList<>();
      JsonNode page = table(gw, "?limit=4");
      paged.addAll(ids(page));
      while (!page.path("next_offset").isNull()) {
        page = table(gw, "?limit=4&offset=" + page.path("next_offset").asInt());
        paged.addAll(ids(page));
      }
      assertThat(paged).isEqualTo(ids(all));
      assertThat(table(gw, "?limit=4&offset=40").path("total").asLong()).isEqualTo(9);

      for (String bad : List.of("?status=maybe", "?limit=0", "?limit=501", "?offset=-1", "?tag=novalue",
          "?since=yesterday")) {
        HttpResponse<String> r = gw.get("/api/rollout-table" + bad);
        assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
        assertThat(r.body()).contains("invalid_request");
      }
    }
  }

  private static void ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode table(TestGateway gw, String query) throws Exception {
    HttpResponse<String> r = gw.get("/api/rollout-table" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode only(JsonNode page) {
    assertThat(page.path("rollouts").size()).as(page.toString()).isEqualTo(1);
    return page.path("rollouts").get(0);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("rollouts").forEach(r -> ids.add(r.path("rollout_id").asText()));
    return ids;
  }
}
