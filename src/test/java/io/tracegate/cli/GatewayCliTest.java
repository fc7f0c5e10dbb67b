package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that talk to a running gateway ({@code reward}, {@code spans --url}, {@code rollouts --url}), run
 * as their own process: where they find the gateway, and what they say when it is not there.
 */
class GatewayCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void anUnreachableGatewayIsNamedWithAHintAndNoStackTrace() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    String expected = "tracegate: cannot reach the gateway at " + url + " (connection refused); is the gateway"
        + " running at " + url + "? start it with \"tracegate serve\" or pass --url";

    CliProcess.Result spans = CliProcess.run("spans", "--url", url + "/");
    assertThat(spans.exit()).isEqualTo(2);
    assertThat(spans.err().strip()).isEqualTo(expected);

    CliProcess.Result reward = CliProcess.run("reward", "--url", url, "--rollout", "r", "--value", "1");
    assertThat(reward.exit()).isEqualTo(2);
    assertThat(reward.err().strip()).isEqualTo(expected);
    assertThat(reward.out()).isEmpty();

    // a gateway configured to listen on every interface is reached on loopback
    Path wildcard = config("wildcard.yaml", "0.0.0.0", port);
    CliProcess.Result fromConfig = CliProcess.run("rollouts", "--config", wildcard.toString(), "--url");
    assertThat(fromConfig.exit()).isEqualTo(2);
    assertThat(fromConfig.err().strip()).isEqualTo(expected);
  }

  @Test
  void withConfigTheGatewayUrlFollowsTheConfigsServerHostAndPort() throws Exception {
    Path config = config("gw.yaml", "127.0.0.1", freePort());
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config, Map.of()))) {
      assertThat(gw.post("/rollout/cfg-r/attempt/a1/v1/chat/completions",
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
      gw.awaitSpans("cfg-r", 1);

      List<String> reward = CliProcess.ok("reward", "--config", config.toString(), "--rollout", "cfg-r",
          "--value", "0.5");
      assertThat(reward).singleElement().asString().startsWith("reward reward=0.5 recorded for rollout cfg-r");

      // the store is in the gateway's memory: only the API can list these spans
      List<String> spans = CliProcess.ok("spans", "--config", config.toString(), "--url", "--json");
      assertThat(spans).extracting(line -> JSON.readTree(line).path("kind").asText()).containsExactly("llm", "reward");
      JsonNode rewardSpan = JSON.readTree(spans.get(1));
      assertThat(rewardSpan.path("rollout_id").asText()).isEqualTo("cfg-r");
    }
  }

  private Path config(String name, String host, int port) throws Exception {
    Path config = dir.resolve(name);
    Files.writeString(config, String.join("\n",
        "server: { host: " + host + ", port: " + port + " }",
        "store: { kind: memory }",
        "models:",
        "  - name: m",
        "    backends:",
        "      - provider: mock",
        ""));
    return config;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
