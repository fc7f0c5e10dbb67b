package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The x-tracegate-tags header tags a rollout without code changes: real HTTP, real SQLite file. */
class RolloutTagsHeaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(ConfigLoader.load(TestGateway.writeCapturingPolicyConfig(dir, "tags.db", ""), Map.of()));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static String chat(String text) {
    return "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":6}";
  }

  private static JsonNode awaitMetadata(String rollout, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode metadata = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = gw.get("/api/rollouts/" + rollout);
      if (r.statusCode() == 200) {
        metadata = JSON.readTree(r.body()).path("metadata");
        if (done.test(metadata)) {
          return metadata;
        }
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("rollout " + rollout + " metadata never matched; last: " + metadata);
  }

  @Test
  void headerTagsAnUnregisteredRolloutAndFirstSightWins() throws Exception {
    assertThat(gw.post("/rollout/tag-r1/attempt/1/v1/chat/completions", chat("hi"),
        "x-tracegate-tags", "strategy=sliding-4, question=q7").statusCode()).isEqualTo(200);
    JsonNode m = awaitMetadata("tag-r1", n -> n.has("question"));
    assertThat(m.path("strategy").asText()).isEqualTo("sliding-4");
    assertThat(m.path("question").asText()).isEqualTo("q7");

    // a later call cannot change a tag the rollout has, but adds new keys
    assertThat(gw.post("/rollout/tag-r1/attempt/1/v1/chat/completions", chat("again"),
        "x-tracegate-tags", "strategy=none,run=3").statusCode()).isEqualTo(200);
    m = awaitMetadata("tag-r1", n -> n.has("run"));
    assertThat(m.path("strategy").asText()).isEqualTo("sliding-4");
    assertThat(m.path("run").asText()).isEqualTo("3");
  }

  @Test
  void headerTagsMergeIntoRegisteredMetadata() throws Exception {
    assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"tag-r2\",\"metadata\":{\"task\":\"swe-1\",\"strategy\":"
        + "\"last-3\"}}").statusCode()).isEqualTo(201);
    assertThat(gw.post("/rollout/tag-r2/attempt/1/v1/chat/completions", chat("hi"),
        "x-tracegate-tags", "strategy=none,question=q2").statusCode()).isEqualTo(200);
    JsonNode m = awaitMetadata("tag-r2", n -> n.has("question"));
    assertThat(m.path("task").asText()).isEqualTo("swe-1");
    assertThat(m.path("strategy").asText()).isEqualTo("last-3");
    assertThat(m.path("question").asText()).isEqualTo("q2");
  }

  @Test
  void malformedHeaderIs400NamingTheHeaderWithItsSpan() throws Exception {
    HttpResponse<String> r = gw.post("/rollout/tag-r3/attempt/1/v1/chat/completions", chat("hi"),
        "x-tracegate-tags", "strategy");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("x-tracegate-tags");
    List<Span> spans = gw.awaitSpans("tag-r3", 1);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).status()).isEqualTo(Span.STATUS_ERROR);
  }
}
