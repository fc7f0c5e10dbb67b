package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 7: {@code /health} says {@code degraded}, with the reason, while span writes fail or the
 * writer queue is over 90% full, and {@code ok} again once writes succeed; {@code /metrics} has the writer's
 * queue depth, capacity, failures and drops. The failure is real: another connection holds the SQLite file's
 * write lock, so the gateway's writes fail after the store's busy timeout ({@code database is locked}).
 */
class HealthTruthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CAPACITY = 10;
  @TempDir Path dir;

  @Test
  void degradedWhileWritesFailOrTheQueueIsNearlyFullThenOkAgain() throws Exception {
    Path db = dir.resolve("health.db");
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 0 }",
        "store: { kind: sqlite, path: " + db + ", batch_size: 1, queue_capacity: " + CAPACITY
            + ", flush_interval: 10ms }",
        "models:",
        "  - name: m",
        "    backends:",
        "      - provider: mock",
        ""));
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config, Map.of()))) {
      assertThat(call(gw, 0).statusCode()).isEqualTo(200);
      gw.awaitSpans("h", 1);
      JsonNode healthy = health(gw, "");
      assertThat(healthy.path("status").asText()).isEqualTo("ok");
      assertThat(healthy.has("reason")).isFalse();
      assertThat(gw.get("/health?strict").statusCode()).isEqualTo(200);

      Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + db);
      try (Statement st = blocker.createStatement()) {
        st.execute("BEGIN IMMEDIATE"); // holds the write lock: the gateway's writes wait, then fail
        // one span is taken by the writer (stuck on the lock), 10 fill the queue, 4 are dropped
        assertThat(call(gw, 1).statusCode()).isEqualTo(200);
        awaitHealth(gw, h -> h.path("store").path("accepted").asLong() == 2
            && h.path("store").path("queued").asLong() == 0);
        for (int i = 2; i <= 1 + CAPACITY + 4; i++) {
          assertThat(call(gw, i).statusCode()).as("requests are served while spans cannot be stored")
              .isEqualTo(200);
        }
        JsonNode full = awaitHealth(gw, h -> h.path("reason").asText().contains("queue"));
        assertThat(full.path("status").asText()).isEqualTo("degraded");
        assertThat(full.path("reason").asText()).contains("span writer queue 100% full (10 of 10)");
        assertThat(gw.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> strict = gw.get("/health?strict");
        assertThat(strict.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(strict.body()).path("status").asText()).isEqualTo("degraded");
        String metrics = gw.get("/metrics").body();
        assertThat(metric(metrics, "tracegate_span_writer_queue_depth")).isEqualTo(CAPACITY);
        assertThat(metric(metrics, "tracegate_span_writer_queue_capacity")).isEqualTo(CAPACITY);
        assertThat(metric(metrics, "tracegate_spans_dropped_total")).isEqualTo(4);

        JsonNode failing = awaitHealth(gw, h -> h.path("reason").asText().contains("span writes failing"));
        assertThat(failing.path("status").asText()).isEqualTo("degraded");
        assertThat(failing.path("reason").asText()).contains("database is locked");
        assertThat(failing.path("store").path("writes_failing").asBoolean()).isTrue();
        metrics = gw.get("/metrics").body();
        assertThat(metric(metrics, "tracegate_span_writer_failed_writes_total")).isPositive();
        assertThat(metric(metrics, "tracegate_span_writer_failing_writes")).isPositive();
        assertThat(metric(metrics, "tracegate_spans_failed_total")).isPositive();
        st.execute("ROLLBACK");
      } finally {
        blocker.close();
      }

      // ok as soon as a write succeeds; the backlog may still be draining then: wait for it too
      JsonNode recovered = awaitHealth(gw, h -> h.path("status").asText().equals("ok")
          && h.path("store").path("queued").asLong() == 0);
      assertThat(recovered.has("reason")).isFalse();
      assertThat(recovered.path("store").path("last_write_error").asText()).contains("database is locked");
      assertThat(gw.get("/health?strict").statusCode()).isEqualTo(200);
      String metrics = gw.get("/metrics").body();
      assertThat(metric(metrics, "tracegate_span_writer_failing_writes")).isZero();
      assertThat(metric(metrics, "tracegate_span_writer_queue_depth")).isZero();
    }
  }

  private static HttpResponse<String> call(TestGateway gw, int i) throws Exception {
    return gw.post("/rollout/h/attempt/a/v1/chat/completions",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"call " + i + "\"}]}");
  }

  private static JsonNode health(TestGateway gw, String query) throws Exception {
    return JSON.readTree(gw.get("/health" + query).body());
  }

  /** Polls /health until it satisfies {@code condition}; generous deadline (the busy timeout is 5 s). */
  private static JsonNode awaitHealth(TestGateway gw, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonNode h = health(gw, "");
      if (condition.test(h)) {
        return h;
      }
      assertThat(System.nanoTime()).as("health never got there, last: %s", h).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static long metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(name + " in " + text).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
