package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.LargeAnswerUpstream;
import io.tracegate.testing.LargeAnswerUpstream.Answer;
import io.tracegate.trace.Span;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, not by input: {@code tracegate serve} in its own JVM with a 256 MB
 * heap relays four concurrent 50 MB non-stream answers byte for byte (a gateway that read each answer whole,
 * copied it and queued it for the span needed several hundred MB for that and died of OutOfMemoryError),
 * and the spans keep the default 8 MiB of each answer plus its usage.
 */
class LargeAnswerHeapTest {
  private static final int CONCURRENT = 4;
  private static final String PREFIX = "{\"id\":\"chatcmpl-50mb\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"big-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
  private static final String SUFFIX = "\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12500000,\"total_tokens\":12500009}}";

  @TempDir Path dir;

  @Test
  void fourConcurrentFiftyMegabyteAnswersPassThroughA256MbHeap() throws Exception {
    Answer answer = new Answer("application/json", PREFIX, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
        1_000_000, SUFFIX); // 50 MB
    Path db = dir.resolve("heap.db");
    try (LargeAnswerUpstream upstream = new LargeAnswerUpstream(answer)) {
      Path config = dir.resolve("tracegate.yaml");
      Files.writeString(config, String.join("\n",
          "server: { host: 127.0.0.1, port: 0 }",
          "store: { kind: sqlite, path: " + db + " }",
          "models:",
          "  - name: big",
          "    backends:",
          "      - provider: openai",
          "        base_url: " + upstream.openAiBaseUrl(),
          "        model: big-model",
          ""));
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "serve", "--config", config.toString());
      Path log = dir.resolve("serve.log");
      Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        String base = CliProcess.awaitReady(serve, log);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<String>> digests = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/rollout/heap/attempt/a/v1/chat/completions"))
              .timeout(Duration.ofSeconds(120))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"big\",\"messages\":[{\"role\":\"user\",\"content\":\"n" + i + "\"}]}"))
              .build();
          digests.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
              .thenApply(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                return sha256(r.body());
              }));
        }
        for (CompletableFuture<String> d : digests) {
          assertThat(d.get(120, TimeUnit.SECONDS)).as("byte-exact answer; gateway log: %s", tail(log))
              .isEqualTo(answer.sha256());
        }
        assertThat(serve.isAlive()).as("gateway alive; log: %s", tail(log)).isTrue();
        serve.destroy(); // SIGTERM: every accepted span is written
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("persisted " + CONCURRENT + ",").doesNotContain("OutOfMemory");
      } finally {
        serve.destroyForcibly();
      }
    }
    try (SpanStore store = SqliteSpanStore.openReadOnly(db)) {
      List<Span> spans = store.query(new SpanQuery("heap", null, null, null, 100, null)).spans();
      assertThat(spans).hasSize(CONCURRENT);
      for (Span s : spans) {
        assertThat(s.status()).isEqualTo(Span.STATUS_OK);
        assertThat(s.response().asText()).hasSize(8 * 1024 * 1024).startsWith(PREFIX);
        assertThat(s.attributes()).containsEntry("tracegate.response.truncated", true);
        assertThat(((Number) s.attributes().get("tracegate.response.size")).longValue()).isEqualTo(answer.length());
        assertThat(s.usage().outputTokens()).isEqualTo(12_500_000L);
      }
    }
  }


  private static String sha256(InputStream in) {
    try (in) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) throws Exception {
    String s = Files.readString(log);
    return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
  }
}
