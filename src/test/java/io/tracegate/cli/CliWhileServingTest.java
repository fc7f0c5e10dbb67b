package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracegate spans} / {@code rollouts} in a separate JVM process, reading the gateway's SQLite file
 * while the gateway is serving and writing to it, and through {@code --url}.
 */
class CliWhileServingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void cliReadsTheStoreFileAndTheApiWhileTheGatewayServes() throws Exception {
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
      Path db = dir.resolve("traces").resolve("cli.db");
      Path config = dir.resolve("tracegate.yaml");
      Files.writeString(config, String.join("\n",
          "server: { host: 127.0.0.1, port: 0 }",
          "store: { kind: sqlite, path: " + db + " }",
          "models:",
          "  - name: gpt-test",
          "    backends:",
          "      - provider: openai",
          "        base_url: " + upstream.baseUrl(),
          "        model: backend-model",
          ""));
      try (TestGateway gw = TestGateway.start(ConfigLoader.load(config, Map.of()))) {
        for (int i = 0; i < 3; i++) {
          assertThat(gw.post("/rollout/cli-r/attempt/a1/v1/chat/completions",
              "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
              .isEqualTo(200);
        }
        gw.awaitSpans("cli-r", 3);

        List<String> lines = cli("spans", "--config", config.toString(), "--rollout", "cli-r", "--json");
        assertThat(lines).hasSize(3);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("rollout_id").asText()).isEqualTo("cli-r");
        assertThat(first.path("sequence_id").asLong()).isEqualTo(1);
        assertThat(first.path("backend_model").asText()).isEqualTo("backend-model");

        List<String> table = cli("spans", "--config", config.toString(), "--rollout", "cli-r");
        assertThat(table.get(0)).startsWith("SEQ").contains("MODEL");
        assertThat(table).last().isEqualTo("3 span(s)");

        List<String> rollouts = cli("rollouts", "--url", gw.gateway().baseUrl(), "--json");
        JsonNode summary = JSON.readTree(rollouts.get(0));
        assertThat(summary.path("rollout_id").asText()).isEqualTo("cli-r");
        assertThat(summary.path("spans").asLong()).isEqualTo(3);
        assertThat(summary.path("input_tokens").asLong()).isEqualTo(36);

        List<String> viaUrl = cli("spans", "--url", gw.gateway().baseUrl(), "--rollout", "cli-r", "--json");
        assertThat(viaUrl).hasSize(3);
      }
    }
  }

  @Test
  void badConfigFailsWithOneClearLine() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "models:\n  - name: x\n    backends:\n      - provider: openia\n");
    Process p = start("spans", "--config", config.toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err).contains("bad.yaml").contains("models[0].backends[0].provider").doesNotContain("\tat ");
  }

  private static List<String> cli(String... args) throws Exception {
    Process p = start(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit code, stderr: %s", err).isZero();
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }
}
