package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend whose {@code api_key} variable is unset cannot answer anyone: the request goes on to the model's next
 * backend (and never to the same one again), and only a model with no other backend answers 503 naming the
 * variable.
 */
class MissingKeyFallbackTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String UNSET = "TRACEGATE_TEST_NEVER_SET_KEY";
  static ScriptedUpstream unkeyed;
  static ScriptedUpstream keyed;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    unkeyed = new ScriptedUpstream();
    keyed = new ScriptedUpstream();
    BackendConfig noKey = new BackendConfig("no-key", Provider.OPENAI, unkeyed.openAiBaseUrl(), "backend-model",
        new SecretRef(UNSET, null), Set.of(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
    BackendConfig withKey = TestGateway.openAi(keyed.openAiBaseUrl(), "backend-model").named("with-key", 1);
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), List.of(
        new ModelConfig("two", List.of(noKey, withKey)),
        new ModelConfig("only-unkeyed", List.of(noKey.named("lonely", 1))))));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    unkeyed.close();
    keyed.close();
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void theNextBackendAnswersWhenTheFirstHasNoKey() throws Exception {
    HttpResponse<String> r = gw.post(CHAT, chat("two"), "x-rollout-id", "missing-key-1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("chat.completion");
    assertThat(unkeyed.hits()).isZero();
    Span s = gw.awaitSpans("missing-key-1", 1).get(0);
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.backend()).isEqualTo("with-key");
    assertThat(s.attempts()).extracting(UpstreamAttempt::backend).containsExactly("no-key", "with-key");
    assertThat(s.attempts()).extracting(UpstreamAttempt::error)
        .containsExactly("missing_backend_credential", null);
  }

  @Test
  void aModelWithOnlyAnUnkeyedBackendSaysWhichVariableIsUnsetAndTriesOnce() throws Exception {
    HttpResponse<String> r = gw.post(CHAT, chat("only-unkeyed"), "x-rollout-id", "missing-key-2");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("missing_backend_credential").contains(UNSET);
    Span s = gw.awaitSpans("missing-key-2", 1).get(0);
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.attempts()).extracting(UpstreamAttempt::backend).containsExactly("lonely");
    assertThat(unkeyed.hits()).isZero();
  }
}
