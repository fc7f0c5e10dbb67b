package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 1: every {@code /api/} answer comes, through a real gateway on a real SQLite file. A request
 * nested 996 levels deep is proxied and stored; rendering it inside a page would nest 1001 levels, past
 * Jackson's write limit, which used to throw in a callback and leave every page containing it unanswered.
 */
class ApiNeverHangsTest {
  /** Jackson's default read limits: what any client parsing the answer with default settings has. */
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEPTH = 996;
  @TempDir Path dir;

  @Test
  void aSpanTooDeepToRenderIsSentDegradedInPagesAndAlone() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("deep.db").toString()),
        1 << 20, Map.of("m", TestGateway.mock(Set.of()))))) {
      assertThat(gw.post("/rollout/deep/attempt/a/v1/chat/completions", chat("\"before\"")).statusCode())
          .isEqualTo(200);
      HttpResponse<String> deep = gw.post("/rollout/deep/attempt/a/v1/chat/completions", chat(nested(DEPTH)));
      assertThat(deep.statusCode()).as(deep.body()).isEqualTo(200);
      gw.awaitSpans("deep", 2);

      HttpResponse<String> page = gw.get("/api/spans?rollout_id=deep");
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode spans = JSON.readTree(page.body()).path("spans"); // parses with default limits: <= 1000 deep
      assertThat(spans).hasSize(2);
      assertThat(spans.get(0).has("render_error")).isFalse();
      assertThat(spans.get(0).path("request").path("metadata").path("x").asText()).isEqualTo("before");
      JsonNode degraded = spans.get(1);
      assertThat(degraded.path("sequence_id").asLong()).isEqualTo(2);
      assertThat(degraded.path("status").asText()).isEqualTo("ok");
      assertThat(degraded.path("render_error").path("message").asText()).contains("nesting depth");
      assertThat(degraded.path("render_error").path("as_text")).extracting(JsonNode::asText).contains("request");
      // the request comes as its JSON text, which is the request the client sent
      JsonNode request = JSON.readTree(degraded.path("request").asText());
      assertThat(depth(request.path("metadata").path("x"))).isEqualTo(DEPTH);
      assertThat(degraded.path("response").path("choices").isArray()).as("the response still renders").isTrue();

      HttpResponse<String> one = gw.get("/api/spans/" + degraded.path("span_id").asText());
      assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
      assertThat(JSON.readTree(one.body()).path("render_error").path("as_text").get(0).asText()).isEqualTo("request");

      HttpResponse<String> count = gw.get("/api/spans?rollout_id=deep&count=true");
      assertThat(JSON.readTree(count.body()).path("count").asLong()).isEqualTo(2);
    }
  }

  @Test
  void aStoreReadFailureIsA500InJsonOnEveryApiEndpointThatReadsTheSpan() throws Exception {
    Path db = dir.resolve("corrupt.db");
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(db.toString()), 1 << 20,
        Map.of("m", TestGateway.mock(Set.of()))))) {
      assertThat(gw.post("/rollout/bad/attempt/a/v1/chat/completions", chat("1")).statusCode()).isEqualTo(200);
      String spanId = gw.awaitSpans("bad", 1).get(0).spanId();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          PreparedStatement ps = c.prepareStatement("UPDATE spans SET attributes = '{not json' WHERE span_id = ?")) {
        ps.setString(1, spanId);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      for (String path : new String[] {"/api/spans?rollout_id=bad", "/api/spans/" + spanId,
          "/api/triplets?rollout_id=bad&attempt=all"}) {
        HttpResponse<String> r = gw.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(500);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).as(path).contains("corrupt");
      }
      HttpResponse<String> reward = gw.post("/api/rollouts/bad/rewards",
          "{\"value\": 1, \"span_id\": \"" + spanId + "\"}");
      assertThat(reward.statusCode()).as(reward.body()).isEqualTo(500);
      assertThat(JSON.readTree(reward.body()).path("error").path("code").asText()).isEqualTo("internal_error");
      // the gateway goes on answering
      assertThat(gw.get("/api/rollouts/bad").statusCode()).isEqualTo(200);
    }
  }

  static String chat(String metadataValue) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"x\":"
        + metadataValue + "}}";
  }

  static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static int depth(JsonNode n) {
    int d = 0;
    while (n.isArray()) {
      d++;
      n = n.path(0);
    }
    return d;
  }
}
