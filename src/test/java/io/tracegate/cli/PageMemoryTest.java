package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 1: a query's memory is bounded by the page budget, not by the size of the spans it matches.
 * {@code tracegate serve} runs as a process with a small heap ({@value #HEAP}) on a file holding 10 spans of
 * 4 MB each; a page of all ten would need several times their 40 MB (bytes read, trees, rendered answer), so
 * the page budget of 6 MB must cut the listing into pages of two, and every span must come back.
 */
class PageMemoryTest {
  private static final String HEAP = "-Xmx128m";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SPANS = 10;
  private static final int BODY = 4_000_000;
  @TempDir Path dir;

  @Test
  void tenLargeSpansAreListedInPagesUnderASmallHeap() throws Exception {
    Path db = dir.resolve("large.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(db)) {
      for (int i = 0; i < SPANS; i++) {
        byte[] body = ("{\"content\":\"" + String.valueOf((char) ('a' + i)).repeat(BODY) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        store.append(List.of(new Span("span" + i, null, null, "mem", "a", (long) i + 1, Span.KIND_LLM, "chat m",
            1000L + i, 2000L + i, null, Span.STATUS_OK, null, "openai", "m", "mock", "mock", "m", null, null,
            RawJson.of(body), null, null, null, null, null, Map.of())));
      }
    }
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 0, max_api_page_size: 6MB }",
        "store: { kind: sqlite, path: " + db + " }",
        "models:",
        "  - name: m",
        "    backends:",
        "      - provider: mock",
        ""));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "serve", "--config", config.toString(), "--port", "0");
    Path log = dir.resolve("serve.log");
    Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String base = CliProcess.awaitReady(serve, log);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<String> ids = new ArrayList<>();
      int pages = 0;
      String cursor = null;
      do {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base
            + "/api/spans?rollout_id=mem&limit=" + SPANS + (cursor == null ? "" : "&cursor=" + cursor)))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("%s", Files.readString(log)).isEqualTo(200);
        JsonNode body = JSON.readTree(page.body());
        body.path("spans").forEach(s -> ids.add(s.path("span_id").asText()));
        assertThat(body.path("spans").size()).isEqualTo(2);
        cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
        pages++;
      } while (cursor != null);
      assertThat(pages).isEqualTo(5);
      assertThat(ids).containsExactly("span0", "span1", "span2", "span3", "span4", "span5", "span6", "span7",
          "span8", "span9");
      assertThat(serve.isAlive()).as("%s", Files.readString(log)).isTrue();
    } finally {
      serve.destroy();
      if (!serve.waitFor(30, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
  }

}
