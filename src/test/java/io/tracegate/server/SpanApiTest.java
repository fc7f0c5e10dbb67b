package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/spans} over HTTP: both orders, cursors that keep their direction, clear 400s. */
class SpanApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 4096, Map.of("m", TestGateway.mock(Set.of()))));
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> r = gw.post("/rollout/q/attempt/a/v1/chat/completions",
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"turn " + i + "\"}]}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    gw.awaitSpans("q", 5);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void pagesOldestFirstByDefaultAndNewestFirstWithOrderDesc() throws Exception {
    assertThat(sequenceIds("/api/spans?rollout_id=q&limit=2")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(sequenceIds("/api/spans?rollout_id=q&limit=2&order=asc")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(sequenceIds("/api/spans?rollout_id=q&limit=2&order=desc")).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(sequenceIds("/api/spans?rollout_id=q&limit=1000&order=DESC")).containsExactly(5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void aBadOrderIsA400NamingTheAcceptedValues() throws Exception {
    HttpResponse<String> r = gw.get("/api/spans?order=newest");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .isEqualTo("'order' must be asc (oldest first) or desc (newest first), got 'newest'");
  }

  @Test
  void aCursorOfOneOrderIsRefusedInTheOther() throws Exception {
    String ascCursor = JSON.readTree(gw.get("/api/spans?rollout_id=q&limit=2").body()).path("next_cursor").asText();
    HttpResponse<String> r = gw.get("/api/spans?rollout_id=q&limit=2&order=desc&cursor=" + ascCursor);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .contains("order=asc").contains("not order=desc");
  }

  /** Follows next_cursor to the end, keeping the request's other parameters. */
  private static List<Long> sequenceIds(String firstPage) throws Exception {
    List<Long> ids = new ArrayList<>();
    String url = firstPage;
    while (true) {
      HttpResponse<String> r = gw.get(url);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      body.path("spans").forEach(s -> ids.add(s.path("sequence_id").asLong()));
      if (body.path("next_cursor").isNull()) {
        return ids;
      }
      url = firstPage + "&cursor=" + body.path("next_cursor").asText();
    }
  }
}
