package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's {@code --url} mode with an admin key, and the refusal to start exposed without one. */
class AdminKeyCliTest {
  private static final String ADMIN = "adm-cli-5d2e8f";

  @TempDir Path dir;

  @Test
  void urlModeSendsTheAdminKeyFromTheEnvironment() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("t.db").toString()),
        1 << 20, Map.of("policy", TestGateway.mock(java.util.Set.of())))
        .withAccess(AccessConfig.defaults().withAdminKey(ADMIN)))) {
      assertThat(gw.post("/rollout/R/attempt/1/v1/chat/completions",
          "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
      gw.awaitAccepted(1);
      String url = gw.url("");

      CliProcess.Result with = CliProcess.runWithEnv(Map.of(AccessConfig.ADMIN_KEY_VARIABLE, ADMIN),
          "spans", "--url", url, "--rollout", "R", "--json");
      assertThat(with.exit()).as("stderr: %s", with.err()).isZero();
      assertThat(with.lines()).hasSize(1);
      assertThat(with.lines().get(0)).contains("\"rollout_id\":\"R\"");

      Map<String, String> none = new HashMap<>();
      none.put(AccessConfig.ADMIN_KEY_VARIABLE, null);
      CliProcess.Result without = CliProcess.runWithEnv(none, "spans", "--url", url, "--rollout", "R");
      assertThat(without.exit()).isNotZero();
      assertThat(without.err()).contains("HTTP 401").contains(AccessConfig.ADMIN_KEY_VARIABLE);
      CliProcess.Result wrong = CliProcess.runWithEnv(Map.of(AccessConfig.ADMIN_KEY_VARIABLE, "nope"),
          "reward", "--url", url, "--rollout", "R", "--value", "1");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.err()).contains("401");
      assertThat(gw.spans("R")).as("no reward recorded with a wrong key").hasSize(1);
    }
  }

  @Test
  void servingOnAllInterfacesWithoutAnAdminKeyRefusesToStart() throws Exception {
    Path config = dir.resolve("exposed.yaml");
    Files.writeString(config, String.join("\n", "server: { host: 0.0.0.0, port: 0 }",
        "store: { kind: sqlite, path: " + dir.resolve("exposed.db") + " }",
        "auth: { admin_key: \"${TRACEGATE_ADMIN_KEY:-}\" }",
        "models:", "  - name: m", "    backends:", "      - provider: mock", ""));
    Map<String, String> none = new HashMap<>();
    none.put(AccessConfig.ADMIN_KEY_VARIABLE, null);
    CliProcess.Result r = CliProcess.runWithEnv(none, "serve", "--config", config.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("0.0.0.0").contains("export TRACEGATE_ADMIN_KEY=").contains("--insecure")
        .doesNotContain("tracegate ready");
  }
}
