package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.MultiMap;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which credential reaches which backend, through a real gateway to a fake upstream that records the headers
 * it receives, for every lane and with and without a key of the backend's own; and credentials echoed in an
 * upstream's error body never reach the stored span (nor the client).
 */
class CredentialForwardingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIENT_BEARER = "sk-client-bearer-0123456789abcdef";
  private static final String CLIENT_KEY = "sk-ant-client-key-0123456789abcdef";
  private static final String[] BOTH = {"authorization", "Bearer " + CLIENT_BEARER, "x-api-key", CLIENT_KEY,
      "anthropic-version", "2023-06-01"};
  private static final String OPENAI_BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANTHROPIC_BODY =
      "{\"model\":\"%s\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir static Path dir;
  static ScriptedUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("oa-open", backend(Provider.OPENAI, upstream.openAiBaseUrl(), SecretRef.NONE));
    models.put("an-open", backend(Provider.ANTHROPIC, upstream.anthropicBaseUrl(), SecretRef.NONE));
    SecretRef key = new SecretRef(TestGateway.TEST_KEY_VAR, TestGateway.TEST_KEY);
    models.put("oa-keyed", backend(Provider.OPENAI, upstream.openAiBaseUrl(), key));
    models.put("an-keyed", backend(Provider.ANTHROPIC, upstream.anthropicBaseUrl(), key));
    // configured but empty (${VAR:-}): the gateway sends no credential, and none of the client's either
    models.put("oa-empty", backend(Provider.OPENAI, upstream.openAiBaseUrl(), new SecretRef("UNSET_OPTIONAL", "")));
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("keys.db").toString()), 1 << 20,
        models));
  }

  private static BackendConfig backend(Provider provider, String baseUrl, SecretRef key) {
    BackendConfig b = TestGateway.openAi(baseUrl, "backend-model");
    return new BackendConfig(null, provider, b.baseUrl(), b.model(), key, b.capture(), b.connectTimeout(),
        b.responseTimeout(), b.idleTimeout());
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.failWith(0, null);
    upstream.clearRequests();
  }

  private static MultiMap openAiClient(String model, String... headers) throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", OPENAI_BODY.formatted(model), headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return upstream.takeRequest().headers();
  }

  private static MultiMap anthropicClient(String model, String... headers) throws Exception {
    HttpResponse<String> r = gw.post("/v1/messages", ANTHROPIC_BODY.formatted(model), headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return upstream.takeRequest().headers();
  }

  @Test
  void openAiPassThroughForwardsOnlyTheBearerToken() throws Exception {
    MultiMap sent = openAiClient("oa-open", BOTH);
    assertThat(sent.get("authorization")).isEqualTo("Bearer " + CLIENT_BEARER);
    assertThat(sent.get("x-api-key")).as("an OpenAI-compatible host never gets the client's x-api-key").isNull();
    assertThat(sent.get("anthropic-version")).isNull();

    sent = openAiClient("oa-open", "x-api-key", CLIENT_KEY);
    assertThat(sent.get("authorization")).isNull();
    assertThat(sent.get("x-api-key")).isNull();
  }

  @Test
  void anthropicPassThroughForwardsTheAnthropicCredentials() throws Exception {
    MultiMap sent = anthropicClient("an-open", "x-api-key", CLIENT_KEY, "anthropic-version", "2023-06-01");
    assertThat(sent.get("x-api-key")).isEqualTo(CLIENT_KEY);
    assertThat(sent.get("authorization")).isNull();
    // an OAuth token (Claude Code with a subscription, ANTHROPIC_AUTH_TOKEN) is an Anthropic credential too
    sent = anthropicClient("an-open", "authorization", "Bearer sk-ant-oat01-token", "anthropic-version", "2023-06-01",
        "anthropic-beta", "oauth-2025-04-20");
    assertThat(sent.get("authorization")).isEqualTo("Bearer sk-ant-oat01-token");
    assertThat(sent.get("x-api-key")).isNull();
    assertThat(sent.get("anthropic-beta")).isEqualTo("oauth-2025-04-20");
  }

  @Test
  void translatedCallsForwardNoClientCredential() throws Exception {
    MultiMap sent = anthropicClient("oa-open", BOTH);
    assertThat(sent.get("authorization")).isNull();
    assertThat(sent.get("x-api-key")).isNull();
    sent = openAiClient("an-open", BOTH);
    assertThat(sent.get("authorization")).isNull();
    assertThat(sent.get("x-api-key")).isNull();
  }

  @Test
  void aBackendKeyReplacesEveryClientCredential() throws Exception {
    String bearer = "Bearer " + TestGateway.TEST_KEY;
    for (MultiMap sent : new MultiMap[] {openAiClient("oa-keyed", BOTH), anthropicClient("oa-keyed", BOTH)}) {
      assertThat(sent.getAll("authorization")).containsExactly(bearer);
      assertThat(sent.get("x-api-key")).isNull();
    }
    for (MultiMap sent : new MultiMap[] {anthropicClient("an-keyed", BOTH), openAiClient("an-keyed", BOTH)}) {
      assertThat(sent.getAll("x-api-key")).containsExactly(TestGateway.TEST_KEY);
      assertThat(sent.get("authorization")).isNull();
    }
    MultiMap sent = openAiClient("oa-empty", BOTH);
    assertThat(sent.get("authorization")).isNull();
    assertThat(sent.get("x-api-key")).isNull();
  }

  @Test
  void countTokensForwardsTheAnthropicCredentials() throws Exception {
    upstream.failWith(200, "{\"input_tokens\":3}");
    HttpResponse<String> r = gw.post("/v1/messages/count_tokens", ANTHROPIC_BODY.formatted("an-open"), BOTH);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    MultiMap sent = upstream.takeRequest().headers();
    assertThat(sent.get("x-api-key")).isEqualTo(CLIENT_KEY);
    assertThat(sent.get("authorization")).isEqualTo("Bearer " + CLIENT_BEARER);
  }

  @Test
  void credentialsEchoedInAnUpstreamErrorAreRedactedBeforeTheSpanIsStored() throws Exception {
    // the gateway's own key, echoed back: neither the span nor the client may see it
    upstream.failWith(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + TestGateway.TEST_KEY
        + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    HttpResponse<String> r = gw.post("/rollout/redact/attempt/a/v1/chat/completions",
        OPENAI_BODY.formatted("oa-keyed"), BOTH);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain(TestGateway.TEST_KEY).contains("Incorrect API key provided: [REDACTED]")
        .contains("invalid_api_key");

    // the client's own credentials, echoed by a backend without a key (one in a header, one key-shaped token)
    upstream.failWith(403, "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"key "
        + CLIENT_KEY + " (also tried Bearer " + CLIENT_BEARER + ") may not use sk-unrelated-leaked-0123456789\"}}");
    r = gw.post("/rollout/redact/attempt/a/v1/messages", ANTHROPIC_BODY.formatted("an-open"), BOTH);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain(CLIENT_KEY).doesNotContain(CLIENT_BEARER)
        .doesNotContain("sk-unrelated-leaked-0123456789").contains("permission_error");

    var spans = gw.awaitSpans("redact", 2);
    for (Span s : spans) {
      String stored = JSON.writeValueAsString(s);
      assertThat(stored).doesNotContain(TestGateway.TEST_KEY).doesNotContain(CLIENT_KEY)
          .doesNotContain(CLIENT_BEARER).doesNotContain("sk-unrelated-leaked").contains("[REDACTED]");
      assertThat(s.status()).isEqualTo("error");
      assertThat(s.statusMessage()).contains("[REDACTED]");
    }
    // and through the API, as a user reads it
    assertThat(gw.get("/api/spans?rollout_id=redact").body()).doesNotContain(TestGateway.TEST_KEY)
        .doesNotContain(CLIENT_KEY).doesNotContain(CLIENT_BEARER).contains("[REDACTED]");
  }
}
