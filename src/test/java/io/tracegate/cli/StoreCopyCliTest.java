package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.ConfigLoader;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, points 3 and 4: traffic recorded by a gateway on SQLite (a multi-turn conversation whose prompts share
 * prefixes, two attempts, a registered rollout with metadata and a registered attempt without calls, rewards) is
 * copied into PostgreSQL with {@code tracegate store copy}; every read, by the CLI as a process and over the HTTP
 * API of a gateway on each store, answers the same, byte for byte; a second copy copies nothing; copying back into
 * a new SQLite file gives the same answers again.
 */
class StoreCopyCliTest {

  @TempDir Path dir;

  @Test
  void sqliteCopiedIntoPostgresAndBackReadsTheSameAndACopyAgainIsANoOp() throws Exception {
    Path sqliteConfig = TestGateway.writeCapturingPolicyConfig(Files.createDirectories(dir.resolve("a")), "a.db", "");
    int spans = record(sqliteConfig);

    StoreConfig pg = TestPostgres.newDatabase();
    Path pgConfig = config("pg", "store: { kind: postgres, url: \"" + pg.url() + "\", user: postgres }");
    List<String> first = CliProcess.ok("store", "copy", "--from", sqliteConfig.toString(), "--to", pgConfig.toString());
    assertThat(String.join("\n", first)).contains("copied " + spans + " span(s) and 3 rollout(s)")
        .contains("0 span(s) were already there");

    Map<String, String> onSqlite = reads(sqliteConfig, "sqlite");
    assertThat(reads(pgConfig, "pg")).isEqualTo(onSqlite);
    assertThat(api(sqliteConfig)).isEqualTo(api(pgConfig));

    List<String> again = CliProcess.ok("store", "copy", "--from", sqliteConfig.toString(), "--to", pgConfig.toString());
    assertThat(String.join("\n", again)).contains("copied 0 span(s)")
        .contains(spans + " span(s) were already there");
    assertThat(CliProcess.ok("spans", "--config", pgConfig.toString(), "--json", "--limit", "1000"))
        .containsExactlyElementsOf(onSqlite.get("spans").lines().toList());

    Path back = config("back", "store: { kind: sqlite, path: " + dir.resolve("back/back.db") + " }");
    CliProcess.ok("store", "copy", "--from", pgConfig.toString(), "--to", back.toString());
    assertThat(CliProcess.ok("spans", "--config", back.toString(), "--json", "--limit", "1000"))
        .containsExactlyElementsOf(onSqlite.get("spans").lines().toList());
    Path file = dir.resolve("back-all.jsonl");
    CliProcess.ok("export", "--config", back.toString(), "--out", file.toString(), "--attempt", "all");
    assertThat(Files.readString(file)).isEqualTo(onSqlite.get("export all"));
  }

  /** Drives a gateway on the config's store; returns how many spans it recorded. */
  private static int record(Path config) throws Exception {
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config))) {
      assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"registered\",\"metadata\":{\"team\":\"rl\"}}")
          .statusCode()).isEqualTo(201);
      StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"you are a coding agent\"}");
      for (int turn = 0; turn < 4; turn++) {
        messages.append(",{\"role\":\"user\",\"content\":\"step ").append(turn)
            .append(": run the tests and fix what fails, then report\"}");
        assertThat(gw.post("/rollout/conv/attempt/a1/v1/chat/completions",
            "{\"model\":\"policy\",\"messages\":[" + messages + "]}",
            "x-tracegate-tags", "experiment=copy").statusCode()).isEqualTo(200);
        messages.append(",{\"role\":\"assistant\",\"content\":\"done with step ").append(turn).append("\"}");
      }
      assertThat(gw.post("/api/rollouts/conv/rewards", "{\"value\":0.25,\"attempt_id\":\"a1\"}").statusCode())
          .isEqualTo(201);
      assertThat(gw.post("/rollout/conv/attempt/a2/v1/chat/completions",
          "{\"model\":\"policy\",\"messages\":[" + messages + "]}").statusCode()).isEqualTo(200);
      assertThat(gw.post("/api/rollouts/conv/rewards", "{\"value\":1.0}").statusCode()).isEqualTo(201);
      assertThat(gw.post("/api/rollouts/conv/attempts", "{\"attempt_id\":\"a3\"}").statusCode()).isEqualTo(201);
      assertThat(gw.post("/v1/chat/completions", "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"no rollout\"}]}").statusCode()).isEqualTo(200);
      assertThat(gw.post("/rollout/other/attempt/x/v1/chat/completions", "{\"model\":\"policy\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
      gw.flush();
      return 9; // 6 calls and 2 rewards in rollout conv, one call without rollout, one in rollout other
    }
  }

  /** What every read command prints for the store of {@code config}, and the exported datasets' bytes. */
  private Map<String, String> reads(Path config, String name) throws Exception {
    String c = config.toString();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("spans", String.join("\n", CliProcess.ok("spans", "--config", c, "--json", "--limit", "1000")));
    out.put("rollouts", String.join("\n", CliProcess.ok("rollouts", "--config", c, "--json")));
    out.put("report", String.join("\n", CliProcess.ok("report", "--config", c, "--json")));
    for (String attempt : List.of("latest", "all")) {
      Path file = dir.resolve(name + "-" + attempt + ".jsonl");
      CliProcess.ok("export", "--config", c, "--out", file.toString(), "--attempt", attempt);
      out.put("export " + attempt, Files.readString(file));
    }
    assertThat(out.get("spans").lines().count()).isEqualTo(9);
    assertThat(out.get("export all")).contains("prompt_token_ids").contains("\"reward\":0.25");
    return out;
  }

  /** The HTTP API's answers of a gateway serving the store of {@code config}. */
  private static List<String> api(Path config) throws Exception {
    List<String> bodies = new ArrayList<>();
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(config))) {
      for (String path : List.of("/api/spans?rollout_id=conv&limit=100", "/api/rollouts", "/api/rollouts/registered",
          "/api/triplets?rollout_id=conv&attempt=all", "/api/report?by=attempt")) {
        var response = gw.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        bodies.add(response.body());
      }
    }
    return bodies;
  }

  private Path config(String name, String storeLine) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Path file = d.resolve("tracegate.yaml");
    Files.writeString(file, String.join("\n", "server: { host: 127.0.0.1, port: 0 }", storeLine, "models:",
        "  - name: policy", "    backends:", "      - provider: mock", "        capture: [token_ids, logprobs]", ""));
    return file;
  }
}
