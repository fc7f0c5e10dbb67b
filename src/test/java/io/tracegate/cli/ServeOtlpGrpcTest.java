package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.testing.OtlpGrpcReceiver;
import io.tracegate.testing.OtlpReceiver;
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
 * {@code tracegate serve} as a real process with {@code telemetry.otlp.protocol: grpc} in its YAML config, its
 * header value from the environment: every call's span reaches an OTLP/gRPC collector (grpc-java's server) with
 * the header as gRPC metadata, the secret never in the log, and SIGTERM exports the last spans (sent right
 * before it, still in the writer's or the export's queue).
 */
class ServeOtlpGrpcTest {
  private static final Pattern READY = Pattern.compile("tracegate ready on (http://\\S+)");
  private static final String TOKEN = "otlp-grpc-token-not-for-logs";
  @TempDir Path dir;

  @Test
  void aServedGatewayExportsEverySpanOverGrpc() throws Exception {
    try (OtlpGrpcReceiver collector = new OtlpGrpcReceiver()) {
      Path config = dir.resolve("tracegate.yaml");
      Files.writeString(config, String.join("\n",
          "server: { host: 127.0.0.1, port: 4000 }",
          "store: { kind: sqlite, path: " + dir.resolve("grpc.db") + " }",
          "telemetry:",
          "  service_name: grpc-gw",
          "  otlp:",
          "    protocol: grpc",
          "    endpoint: " + collector.endpoint(),
          "    headers: { authorization: \"Bearer ${OTLP_GRPC_TOKEN}\" }",
          "models:",
          "  - name: mock-model",
          "    backends:",
          "      - provider: mock",
          ""));
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "serve", "--config", config.toString(), "--port", "0");
      pb.environment().put("OTLP_GRPC_TOKEN", TOKEN);
      Path logFile = dir.resolve("serve.log");
      Process serve = pb.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
      int calls = 6;
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
        for (int i = 0; i < calls; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create(base + "/rollout/grpc-cli/attempt/a/v1/chat/completions"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock-model\",\"stream\":" + (i % 2 == 0)
                  + ",\"messages\":[{\"role\":\"user\",\"content\":\"n" + i + "\"}]}"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          if (i == 0) {
            // the first export of a fresh process (classes loading, connection opening) may take seconds on a
            // loaded machine: wait for it here, so that the shutdown below is a warm flush within its 5 s
            long exported = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (collector.spans().isEmpty() && System.nanoTime() < exported) {
              TimeUnit.MILLISECONDS.sleep(20);
            }
            assertThat(collector.spans()).as("the first span, exported while serving").hasSize(1);
          }
        }
        serve.destroy(); // SIGTERM: the writer stores the last spans, then the export sends them
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      } finally {
        serve.destroyForcibly();
      }
      String log = Files.readString(logFile);
      assertThat(log).contains("OTLP export to grpc " + collector.endpoint())
          .contains("OTLP spans exported " + calls + ", dropped 0").doesNotContain(TOKEN);
      List<OtlpReceiver.Received> spans = collector.awaitSpans(calls);
      assertThat(spans).hasSize(calls).allSatisfy(s -> {
        assertThat(s.attributes()).containsEntry("tracegate.rollout_id", "grpc-cli");
        assertThat(s.resource()).containsEntry("service.name", "grpc-gw");
        assertThat(s.headers().get("authorization")).isEqualTo("Bearer " + TOKEN);
      });
      assertThat(spans).extracting(s -> s.attributes().get("tracegate.sequence_id"))
          .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
    }
  }
}
