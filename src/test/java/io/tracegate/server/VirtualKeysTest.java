package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tracegate.config.AccessConfig;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.require_keys}: virtual keys made with {@code POST /api/keys}, used unchanged by the official OpenAI
 * and Anthropic SDKs, replaced by the backend's key upstream, named on spans, revocable, never stored.
 */
class VirtualKeysTest {
  private static final String ADMIN = "adm-vk-41c9";

  @TempDir Path dir;

  private GatewayConfig config(ScriptedUpstream upstream) {
    BackendConfig openAi = TestGateway.openAi(upstream.openAiBaseUrl(), "gpt-4o");
    BackendConfig b = TestGateway.openAi(upstream.anthropicBaseUrl(), "claude-sonnet-4-5");
    BackendConfig anthropic = new BackendConfig(null, Provider.ANTHROPIC, b.baseUrl(), b.model(), b.apiKey(),
        b.capture(), b.connectTimeout(), b.responseTimeout(), b.idleTimeout());
    return TestGateway.config(StoreConfig.sqlite(dir.resolve("keys.db").toString()), 1 << 20,
        Map.of("gpt-4o", openAi, "claude-sonnet-4-5", anthropic, "o-private", openAi))
        .withAccess(AccessConfig.defaults().withAdminKey(ADMIN).withRequireKeys(true));
  }

  @Test
  void aKeyWorksThroughBothSdksOnlyForItsModelsUntilRevokedAndIsNeverStored() throws Exception {
    String secret;
    String keyId;
    try (ScriptedUpstream upstream = new ScriptedUpstream(); TestGateway gw = TestGateway.start(config(upstream))) {
      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      assertThat(api.send("POST", "/api/keys", "{\"name\":\"x\"}", null).statusCode()).isEqualTo(401);
      JsonObject created = api.createKey("{\"name\":\"alice\",\"models\":[\"gpt-*\",\"claude-*\"],"
          + "\"metadata\":{\"team\":\"rl\"}}");
      secret = created.getString("key");
      keyId = created.getString("id");
      assertThat(secret).startsWith("tg-").hasSizeGreaterThan(40);
      assertThat(keyId).startsWith("key_");
      assertThat(created.getJsonArray("models").getList()).containsExactly("gpt-*", "claude-*");

      OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl(gw.url("/v1")).apiKey(secret).maxRetries(0).build();
      AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gw.url("")).apiKey(secret).maxRetries(0)
          .build();
      try {
        ChatCompletion chat = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o").addUserMessage("hi").build());
        assertThat(chat.choices()).hasSize(1);
        ScriptedUpstream.Received sentChat = upstream.takeRequest();
        assertThat(sentChat.headers().get("authorization")).isEqualTo("Bearer " + TestGateway.TEST_KEY);

        Message message = anthropic.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5")
            .maxTokens(64).addUserMessage("hi").build());
        assertThat(message.content()).isNotEmpty();
        ScriptedUpstream.Received sentMessage = upstream.takeRequest();
        assertThat(sentMessage.headers().get("x-api-key")).isEqualTo(TestGateway.TEST_KEY);
        for (ScriptedUpstream.Received sent : List.of(sentChat, sentMessage)) {
          sent.headers().forEach(h -> assertThat(h.getValue()).as("upstream header %s", h.getKey())
              .doesNotContain(secret));
        }

        assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("o-private").addUserMessage("hi").build())).isInstanceOf(PermissionDeniedException.class)
            .hasMessageContaining("may not use model 'o-private'");
        HttpResponse<String> denied = api.chat("o-private", secret);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(denied.body()).getJsonObject("error").getString("code"))
            .isEqualTo("model_not_allowed");
        assertThat(upstream.hits()).as("the refused calls never went upstream").isEqualTo(2);
        assertThat(api.chat("gpt-4o", null).statusCode()).isEqualTo(401);
        assertThat(api.chat("gpt-4o", "tg-forged").statusCode()).isEqualTo(401);
        assertThat(api.messages("claude-sonnet-4-5", "tg-forged").body()).contains("authentication_error");

        gw.awaitAccepted(4);
        List<Span> spans = gw.spans(null);
        assertThat(spans).as("two calls and two refusals for the model: one span each; no span for no key")
            .hasSize(4);
        assertThat(spans).allSatisfy(s -> {
          assertThat(s.attributes()).containsEntry("tracegate.key.name", "alice").containsEntry("tracegate.key.id",
              keyId);
        });
        assertThat(spans).filteredOn(s -> "error".equals(s.status())).hasSize(2);

        HttpResponse<String> list = api.send("GET", "/api/keys", null, ADMIN);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject listed = new JsonObject(list.body()).getJsonArray("keys").getJsonObject(0);
        assertThat(listed.getString("name")).isEqualTo("alice");
        assertThat(listed.getJsonObject("metadata").getString("team")).isEqualTo("rl");
        assertThat(listed.containsKey("key")).isFalse();
        assertThat(list.body()).doesNotContain(secret);

        assertThat(api.send("DELETE", "/api/keys/" + keyId, null, ADMIN).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o").addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
        assertThat(api.send("DELETE", "/api/keys/" + keyId, null, ADMIN).statusCode()).isEqualTo(404);
      } finally {
        openAi.close();
        anthropic.close();
      }
    }
    // the gateway is closed: the file (and any WAL) holds the key's hash, never the secret
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.list(dir)) {
      all.forEach(files::add);
    }
    assertThat(files).isNotEmpty();
    boolean hashStored = false;
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      assertThat(indexOf(bytes, needle)).as("secret in %s", f).isEqualTo(-1);
      hashStored |= indexOf(bytes, io.tracegate.auth.KeySecrets.sha256(secret).getBytes(StandardCharsets.UTF_8)) >= 0;
    }
    assertThat(hashStored).as("the key's SHA-256 is what the file keeps").isTrue();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
