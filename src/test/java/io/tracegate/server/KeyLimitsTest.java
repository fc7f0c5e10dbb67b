package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's requests and tokens per minute (429 with retry-after) and its budget in USD (403, from the cost of its
 * spans, kept across restarts through the store), in the shape of the protocol the client speaks. The scripted
 * upstream answers 25 input + 8 output tokens; the pricing file prices them at $1000 per million: $0.033 a call.
 */
class KeyLimitsTest {
  private static final String ADMIN = "adm-limits-9e";

  @TempDir Path dir;

  private GatewayConfig config(ScriptedUpstream upstream) throws Exception {
    Path pricing = dir.resolve("pricing.yaml");
    Files.writeString(pricing, "models:\n  priced-model: { input: 1000, output: 1000 }\n");
    GatewayConfig base = TestGateway.config(StoreConfig.sqlite(dir.resolve("limits.db").toString()),
        List.of(new ModelConfig("gpt-4o", List.of(TestGateway.openAi(upstream.openAiBaseUrl(), "priced-model"))),
            new ModelConfig("claude-sonnet-4-5", List.of(TestGateway.openAi(upstream.openAiBaseUrl(),
                "priced-model")))));
    return new GatewayConfig(null, base.server(), base.store(), base.models(), pricing, null, null,
        AccessConfig.defaults().withAdminKey(ADMIN).withRequireKeys(true));
  }

  @Test
  void requestsPerMinuteOverTheLimitGet429WithRetryAfterInEachProtocol() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream(); TestGateway gw = TestGateway.start(config(upstream))) {
      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      String key = api.createKey("{\"name\":\"bursty\",\"rpm\":2}").getString("key");
      assertThat(api.chat("gpt-4o", key).statusCode()).isEqualTo(200);
      assertThat(api.messages("claude-sonnet-4-5", key).statusCode()).isEqualTo(200);

      HttpResponse<String> third = api.chat("gpt-4o", key);
      assertThat(third.statusCode()).isEqualTo(429);
      long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 30L); // one request comes back every 30 s at 2 a minute
      JsonObject error = new JsonObject(third.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(error.getString("message")).contains("rpm 2");

      HttpResponse<String> anthropic = api.messages("claude-sonnet-4-5", key);
      assertThat(anthropic.statusCode()).isEqualTo(429);
      assertThat(anthropic.headers().firstValue("retry-after")).isPresent();
      assertThat(new JsonObject(anthropic.body()).getJsonObject("error").getString("type"))
          .isEqualTo("rate_limit_error");
      assertThat(upstream.hits()).isEqualTo(2);

      // another key has its own bucket
      String other = api.createKey("{\"name\":\"calm\",\"rpm\":2}").getString("key");
      assertThat(api.chat("gpt-4o", other).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tokensPerMinuteCountTheUsageOfFinishedCalls() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream(); TestGateway gw = TestGateway.start(config(upstream))) {
      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      String key = api.createKey("{\"name\":\"wordy\",\"tpm\":20}").getString("key");
      assertThat(api.chat("gpt-4o", key).statusCode()).isEqualTo(200); // 33 tokens: over 20 once counted
      gw.awaitAccepted(1);
      HttpResponse<String> next = api.chat("gpt-4o", key);
      assertThat(next.statusCode()).isEqualTo(429);
      assertThat(next.headers().firstValue("retry-after")).isPresent();
      assertThat(next.body()).contains("tpm 20");
    }
  }

  @Test
  void aSpentBudgetIsRefusedWith403AndStaysSpentAfterARestart() throws Exception {
    String key;
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      try (TestGateway gw = TestGateway.start(config(upstream))) {
        KeyedGateway api = new KeyedGateway(gw, ADMIN);
        key = api.createKey("{\"name\":\"capped\",\"budget_usd\":0.05}").getString("key");
        assertThat(api.chat("gpt-4o", key).statusCode()).isEqualTo(200);
        gw.awaitAccepted(1);
        assertThat(api.chat("gpt-4o", key).statusCode()).as("$0.033 spent of $0.05").isEqualTo(200);
        gw.awaitAccepted(2);
        HttpResponse<String> refused = api.chat("gpt-4o", key);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("code"))
            .isEqualTo("budget_exceeded");
        HttpResponse<String> anthropic = api.messages("claude-sonnet-4-5", key);
        assertThat(anthropic.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(anthropic.body()).getJsonObject("error").getString("type"))
            .isEqualTo("permission_error");
        JsonObject listed = new JsonObject(api.send("GET", "/api/keys", null, ADMIN).body()).getJsonArray("keys")
            .getJsonObject(0);
        assertThat(listed.getDouble("spent_usd")).isCloseTo(0.066, org.assertj.core.data.Offset.offset(1e-9));
      }
      assertThat(upstream.hits()).isEqualTo(2);
      // a new gateway on the same file: the key and its spend come back from the store
      try (TestGateway gw = TestGateway.start(config(upstream))) {
        KeyedGateway api = new KeyedGateway(gw, ADMIN);
        HttpResponse<String> still = api.chat("gpt-4o", key);
        assertThat(still.statusCode()).isEqualTo(403);
        assertThat(still.body()).contains("budget_exceeded");
        assertThat(upstream.hits()).isEqualTo(2);
      }
    }
  }
}
