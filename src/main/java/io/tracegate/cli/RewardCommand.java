package io.tracegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.ConfigLoader;
import io.tracegate.server.ApiJson;
import io.tracegate.server.RolloutIds;
import io.tracegate.trace.PlainDecimals;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracegate reward}: records a reward for a rollout through the running gateway, which gives it the
 * rollout's next sequence id (so calls and rewards stay in one order).
 */
@Command(name = "reward", mixinStandardHelpOptions = true, description = "Record a reward for a rollout.")
final class RewardCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", paramLabel = "URL",
      description = "Gateway (default: the one --config describes, else http://127.0.0.1:4000).")
  String url;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Send the reward to the gateway this config file describes (its server.host and server.port).")
  Path config;

  @Option(names = "--rollout", required = true, converter = IdConverter.class, description = "Rollout id.")
  String rollout;

  @Option(names = "--value", required = true, description = "Reward value (a finite number).")
  double value;

  @Option(names = "--name", description = "Reward name (default: reward). Several named rewards are allowed.")
  String name;

  @Option(names = "--attempt", converter = IdConverter.class, description = "Attempt id (default: the latest attempt).")
  String attempt;

  @Option(names = "--span", description = "Reward this LLM call (span id) specifically.")
  String span;

  @Option(names = "--json", description = "Print the gateway's JSON answer.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("value", value);
    if (name != null) {
      body.put("name", name);
    }
    if (attempt != null) {
      body.put("attempt_id", attempt);
    }
    if (span != null) {
      body.put("span_id", span);
    }
    GatewayUrl gateway = url != null ? GatewayUrl.parse(url)
        : config != null ? GatewayUrl.of(ConfigLoader.load(config).server()) : GatewayUrl.DEFAULT;
    GatewayClient.Answer answer = new GatewayClient(gateway).post("/api/rollouts/"
        + RolloutIds.pathSegment(rollout) + "/rewards", body);
    if (answer.status() != 201) {
      System.err.println("tracegate: reward not recorded (HTTP " + answer.status() + "): "
          + Formats.visible(answer.errorMessage()));
      return 2;
    }
    if (json) {
      System.out.println(ApiJson.MAPPER.writeValueAsString(answer.body()));
    } else {
      JsonNode r = answer.body();
      System.out.println("reward " + r.path("name").asText() + "=" + PlainDecimals.toString(r.path("value").asDouble())
          + " recorded for rollout " + Formats.visible(rollout)
          + " (attempt " + Formats.visible(r.path("attempt_id").asText("-"))
          + ", sequence " + r.path("sequence_id").asLong() + ", span " + r.path("span_id").asText() + ")");
    }
    return 0;
  }
}
