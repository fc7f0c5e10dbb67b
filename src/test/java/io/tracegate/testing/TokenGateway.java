package io.tracegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Capture;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A real gateway on loopback in front of a {@link TokenizingVllmUpstream} (token ids and logprobs captured),
 * storing spans in a real SQLite file, with the calls an agent makes: chat turns, rewards, rollout registration.
 */
public final class TokenGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String BACKEND_MODEL = "Qwen/Qwen3-8B";

  public final TokenizingVllmUpstream upstream;
  public final TestGateway gw;
  public final Path db;

  public TokenGateway(Path dir) throws Exception {
    db = dir.resolve("spans.db");
    upstream = new TokenizingVllmUpstream();
    BackendConfig backend = new BackendConfig(null, Provider.OPENAI, upstream.baseUrl(), BACKEND_MODEL,
        new SecretRef(TestGateway.TEST_KEY_VAR, TestGateway.TEST_KEY), Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS),
        Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10));
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(db.toString()), 1 << 20, Map.of("policy", backend)));
  }

  /** One chat call in the rollout's attempt; returns the assistant message as a client would append it. */
  public JsonNode chat(String rollout, String attempt, ArrayNode messages, String... headers) throws Exception {
    HttpResponse<String> r = post(rollout, attempt, messages, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(r.body()).path("choices").path(0).path("message");
    // the client sends back role and content only: reasoning is not part of the history it keeps
    return JSON.createObjectNode().put("role", "assistant").put("content", message.path("content").asText());
  }

  public HttpResponse<String> post(String rollout, String attempt, ArrayNode messages, String... headers) throws Exception {
    String body = JSON.createObjectNode().put("model", "policy").set("messages", messages).toString();
    return gw.post("/rollout/" + rollout + "/attempt/" + attempt + "/v1/chat/completions", body, headers);
  }

  public void reward(String rollout, double value) throws Exception {
    HttpResponse<String> r = gw.post("/api/rollouts/" + rollout + "/rewards", "{\"value\":" + value + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** The span id of the rollout's call with this sequence id. */
  public String spanId(String rollout, long sequenceId) throws Exception {
    for (Span s : gw.spans(rollout)) {
      if (s.sequenceId() != null && s.sequenceId() == sequenceId) {
        return s.spanId();
      }
    }
    throw new AssertionError("no span " + sequenceId + " in rollout " + rollout);
  }

  public static ArrayNode messages(JsonNode... items) {
    ArrayNode a = JSON.createArrayNode();
    for (JsonNode m : items) {
      a.add(m);
    }
    return a;
  }

  public static JsonNode msg(String role, String content) {
    return JSON.createObjectNode().put("role", role).put("content", content);
  }

  public static int[] ints(java.util.List<Integer> ids) {
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public void close() throws Exception {
    gw.close();
    upstream.close();
  }
}
