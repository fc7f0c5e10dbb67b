package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracegate serve} as a real process: SIGTERM makes it write every accepted span before exiting,
 * even those still waiting in the writer's queue (the flush interval here is far longer than the test).
 */
class ServeShutdownTest {
  private static final Pattern READY = Pattern.compile("tracegate ready on (http://\\S+)");
  @TempDir Path dir;

  @Test
  void sigtermFlushesEveryAcceptedSpan() throws Exception {
    Path db = dir.resolve("shutdown.db");
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 4000 }",
        "store: { kind: sqlite, path: " + db + ", batch_size: 10000, queue_capacity: 10000, flush_interval: 1h }",
        "models:",
        "  - name: mock-model",
        "    backends:",
        "      - provider: mock",
        ""));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "serve", "--config", config.toString(), "--port", "0");
    Path logFile = dir.resolve("serve.log");
    Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    try {
      String base = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (base == null && System.nanoTime() < deadline && serve.isAlive()) {
        Matcher m = READY.matcher(Files.readString(logFile));
        if (m.find()) {
          base = m.group(1);
        } else {
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
      assertThat(base).as("serve output: %s", Files.readString(logFile)).isNotNull();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/rollout/sd/attempt/a/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"mock-model\",\"stream\":" + (i % 2 == 0) + ",\"messages\":[{\"role\":\"user\",\"content\":\"n" + i + "\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(logFile)).contains("requests answered 20,").contains("persisted 20,");
    } finally {
      serve.destroyForcibly();
    }
    try (SpanStore store = SqliteSpanStore.openReadOnly(db)) {
      assertThat(store.query(new SpanQuery("sd", null, null, null, 100, null)).spans()).hasSize(20);
      assertThat(store.maxSequenceId("sd")).isEqualTo(20);
    }
  }
}
