package io.tracegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.server.ApiJson;
import io.tracegate.server.RolloutIds;
import io.tracegate.trace.PlainDecimals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  @Option(names = "--url", defaultValue = "http://127.0.0.1:4000", description = "Gateway (default: ${DEFAULT-VALUE}).")
  String url;

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
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/rollouts/"
            + RolloutIds.pathSegment(rollout) + "/rewards"))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
        .send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 201) {
      System.err.println("tracegate: reward not recorded (HTTP " + response.statusCode() + "): "
          + answer.path("error").path("message").asText(response.body()));
      return 2;
    }
    if (json) {
      System.out.println(ApiJson.MAPPER.writeValueAsString(answer));
    } else {
      System.out.println("reward " + answer.path("name").asText() + "="
          + PlainDecimals.toString(answer.path("value").asDouble()) + " recorded for rollout " + rollout + " (attempt " + answer.path("attempt_id").asText("-")
          + ", sequence " + answer.path("sequence_id").asLong() + ", span " + answer.path("span_id").asText() + ")");
    }
    return 0;
  }
}
