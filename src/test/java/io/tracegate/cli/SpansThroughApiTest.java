package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 1, through a real gateway and {@code tracegate spans} as a process: pages bounded by bytes
 * (the CLI follows their cursors) and a span too deep to render that used to hang {@code spans --url}.
 */
class SpansThroughApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SPANS = 10;
  private static final int CONTENT = 1_000_000;
  private static final int BUDGET = 2_500_000;
  @TempDir Path dir;

  @Test
  void largeSpansComeOverSeveralPagesCutByBytesAndTheCliFollowsTheCursors() throws Exception {
    Path config = config("max_api_page_size: " + BUDGET);
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config, Map.of()))) {
      for (int i = 0; i < SPANS; i++) {
        String content = i + "-" + String.valueOf((char) ('a' + i)).repeat(CONTENT);
        HttpResponse<String> r = gw.post("/rollout/big/attempt/a/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
      }
      gw.awaitSpans("big", SPANS);
      long largestSpan = 0;
      List<Long> sequence = new ArrayList<>();
      List<Integer> pageSizes = new ArrayList<>();
      String cursor = null;
      do {
        HttpResponse<String> page = gw.get("/api/spans?rollout_id=big&limit=1000"
            + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(page.body());
        for (JsonNode s : body.path("spans")) {
          sequence.add(s.path("sequence_id").asLong());
          largestSpan = Math.max(largestSpan, JSON.writeValueAsBytes(s).length);
        }
        pageSizes.add(body.path("spans").size());
        assertThat((long) page.body().length()).as("a page stops at the first span reaching the budget")
            .isLessThan(BUDGET + 2 * largestSpan);
        cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
      } while (cursor != null);
      assertThat(largestSpan).isGreaterThan(CONTENT);
      assertThat(sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
      assertThat(pageSizes).as("10 spans of 1-2 MB over pages of 2.5 MB").hasSizeGreaterThanOrEqualTo(4)
          .allSatisfy(n -> assertThat(n).isBetween(1, 3));
      // the count limit still applies under the budget
      assertThat(JSON.readTree(gw.get("/api/spans?rollout_id=big&limit=1").body()).path("spans")).hasSize(1);

      List<String> viaUrl = CliProcess.ok("spans", "--url", gw.gateway().baseUrl(), "--rollout", "big", "--json");
      assertThat(viaUrl).hasSize(SPANS);
      List<String> viaFile = CliProcess.ok("spans", "--config", config.toString(), "--rollout", "big");
      assertThat(viaFile).last().isEqualTo(SPANS + " span(s)");
    }
  }

  @Test
  void spansUrlFinishesWithASpanTooDeepToRender() throws Exception {
    Path config = config("instances: 1");
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config, Map.of()))) {
      String deep = "[".repeat(996) + "]".repeat(996);
      for (String metadata : new String[] {"1", deep, "3"}) {
        assertThat(gw.post("/rollout/deep/attempt/a/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"x\":"
                + metadata + "}}").statusCode()).isEqualTo(200);
      }
      gw.awaitSpans("deep", 3);
      CliProcess.Result table = CliProcess.run("spans", "--url", gw.gateway().baseUrl(), "--rollout", "deep");
      assertThat(table.exit()).as(table.err()).isZero();
      assertThat(table.lines()).last().isEqualTo("3 span(s)");
      List<String> json = CliProcess.ok("spans", "--url", gw.gateway().baseUrl(), "--rollout", "deep", "--json");
      assertThat(json).hasSize(3);
      assertThat(JSON.readTree(json.get(1)).path("request").isTextual()).as("sent as its JSON text").isTrue();
      assertThat(JSON.readTree(json.get(2)).path("request").path("metadata").path("x").asInt()).isEqualTo(3);
    }
  }

  private Path config(String serverOption) throws Exception {
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 0, " + serverOption + " }",
        "store: { kind: sqlite, path: " + dir.resolve("spans.db") + ", flush_interval: 10ms }",
        "models:",
        "  - name: m",
        "    backends:",
        "      - provider: mock",
        ""));
    return config;
  }
}
