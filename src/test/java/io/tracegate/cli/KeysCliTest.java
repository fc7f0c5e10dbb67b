package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.AccessConfig;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.TestGateway;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracegate keys create|list|revoke}, through a running gateway ({@code --url}) and on the store directly. */
class KeysCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "adm-keys-cli-77";
  private static final String CHAT = "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path dir;

  @Test
  void createListAndRevokeThroughTheGateway() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("t.db").toString()),
        1 << 20, Map.of("policy", TestGateway.mock(Set.of())))
        .withAccess(AccessConfig.defaults().withAdminKey(ADMIN).withRequireKeys(true)))) {
      Map<String, String> env = Map.of(AccessConfig.ADMIN_KEY_VARIABLE, ADMIN);
      String url = gw.url("");
      CliProcess.Result created = CliProcess.runWithEnv(env, "keys", "create", "--url", url, "--name", "ci-bot",
          "--models", "policy,gpt-*", "--rpm", "60", "--budget-usd", "2.5", "--expires", "30d", "--metadata",
          "{\"owner\":\"ci\"}", "--json");
      assertThat(created.exit()).as("stderr: %s", created.err()).isZero();
      JsonNode key = JSON.readTree(created.out());
      String secret = key.path("key").asText();
      String id = key.path("id").asText();
      assertThat(secret).startsWith("tg-");
      assertThat(key.path("rpm").asLong()).isEqualTo(60);
      assertThat(key.path("budget_usd").asDouble()).isEqualTo(2.5);
      assertThat(key.path("expires").asText()).endsWith("Z");

      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      assertThat(api.send("POST", "/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200);

      CliProcess.Result listed = CliProcess.runWithEnv(env, "keys", "list", "--url", url);
      assertThat(listed.exit()).as("stderr: %s", listed.err()).isZero();
      assertThat(listed.out()).contains(id).contains("ci-bot").contains("policy,gpt-*").doesNotContain(secret);

      CliProcess.Result revoked = CliProcess.runWithEnv(env, "keys", "revoke", id, "--url", url);
      assertThat(revoked.exit()).as("stderr: %s", revoked.err()).isZero();
      assertThat(revoked.out()).contains("revoked key " + id);
      assertThat(api.send("POST", "/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void keysMadeOnTheStoreWorkOnceTheGatewayStarts() throws Exception {
    Path config = TestGateway.writeCapturingPolicyConfig(dir, "offline.db", "", "auth: { require_keys: true }");
    CliProcess.Result created = CliProcess.run("keys", "create", "--config", config.toString(), "--name", "offline",
        "--json");
    assertThat(created.exit()).as("stderr: %s", created.err()).isZero();
    String secret = JSON.readTree(created.out()).path("key").asText();

    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config))) {
      KeyedGateway api = new KeyedGateway(gw, null);
      assertThat(api.send("POST", "/v1/chat/completions", CHAT, null).statusCode()).isEqualTo(401);
      assertThat(api.send("POST", "/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200);
      // the gateway holds the file: changes go through it (--url); listing reads the file
      CliProcess.Result listed = CliProcess.run("keys", "list", "--config", config.toString(), "--json");
      assertThat(listed.exit()).as("stderr: %s", listed.err()).isZero();
      assertThat(JSON.readTree(listed.out()).path("keys").get(0).path("name").asText()).isEqualTo("offline");
      CliProcess.Result busy = CliProcess.run("keys", "create", "--config", config.toString(), "--name", "late");
      assertThat(busy.exit()).isEqualTo(2);
      assertThat(busy.err()).contains("--url");
    }
  }
}
