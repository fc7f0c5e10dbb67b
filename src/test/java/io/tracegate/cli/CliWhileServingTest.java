package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

        List<String> lines = CliProcess.ok("spans", "--config", config.toString(), "--rollout", "cli-r", "--json");
        assertThat(lines).hasSize(3);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("rollout_id").asText()).isEqualTo("cli-r");
        assertThat(first.path("sequence_id").asLong()).isEqualTo(1);
        assertThat(first.path("backend_model").asText()).isEqualTo("backend-model");

        List<String> table = CliProcess.ok("spans", "--config", config.toString(), "--rollout", "cli-r");
        assertThat(table.get(0)).startsWith("SEQ").contains("MODEL");
        assertThat(table).last().isEqualTo("3 span(s)");

        List<String> rollouts = CliProcess.ok("rollouts", "--url", gw.gateway().baseUrl(), "--json");
        JsonNode summary = JSON.readTree(rollouts.get(0));
        assertThat(summary.path("rollout_id").asText()).isEqualTo("cli-r");
        assertThat(summary.path("spans").asLong()).isEqualTo(3);
        assertThat(summary.path("input_tokens").asLong()).isEqualTo(36);

        List<String> viaUrl = CliProcess.ok("spans", "--url", gw.gateway().baseUrl(), "--rollout", "cli-r", "--json");
        assertThat(viaUrl).hasSize(3);

        // newest first, from the file and through the API (GET /api/spans?order=desc)
        assertThat(sequenceIds(CliProcess.ok("spans", "--config", config.toString(), "--rollout", "cli-r",
            "--order", "desc", "--json"))).containsExactly(3L, 2L, 1L);
        assertThat(sequenceIds(CliProcess.ok("spans", "--config", config.toString(), "--rollout", "cli-r",
            "--order", "asc", "--json"))).containsExactly(1L, 2L, 3L);
        assertThat(sequenceIds(CliProcess.ok("spans", "--url", gw.gateway().baseUrl(), "--rollout", "cli-r",
            "--last", "2", "--json"))).containsExactly(3L, 2L);
        assertThat(sequenceIds(CliProcess.ok("spans", "--config", config.toString(), "--last", "1", "--json")))
            .containsExactly(3L);
        List<String> newestTable = CliProcess.ok("spans", "--config", config.toString(), "--last", "2");
        assertThat(newestTable.get(1)).startsWith("3 ");
        assertThat(newestTable).last().isEqualTo("2 span(s)");
      }
    }
  }

  @Test
  void badConfigFailsWithOneClearLine() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "models:\n  - name: x\n    backends:\n      - provider: openia\n");
    CliProcess.Result r = CliProcess.run("spans", "--config", config.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml").contains("models[0].backends[0].provider").doesNotContain("\tat ");
  }

  @Test
  void lastCannotBeCombinedWithLimitOrOrder() throws Exception {
    CliProcess.Result r = CliProcess.run("spans", "--last", "2", "--order", "asc");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--last N is --order desc --limit N");
    assertThat(CliProcess.run("spans", "--last", "0").err()).contains("--last must be a positive number, got 0");
  }

  private static List<Long> sequenceIds(List<String> jsonLines) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (String line : jsonLines) {
      ids.add(JSON.readTree(line).path("sequence_id").asLong());
    }
    return ids;
  }
}
