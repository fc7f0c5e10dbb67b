package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracegate export} as its own process: the output format comes from --format or the file name. */
class ExportCliTest {
  @TempDir Path dir;
  Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    config = dir.resolve("tracegate.yaml");
    Files.writeString(config, "store: { kind: memory }\nmodels:\n  - name: m\n    backends:\n      - provider: mock\n");
  }

  @Test
  void anOutputNameWithoutAKnownExtensionNeedsFormat() throws Exception {
    Path csv = dir.resolve("data/x.csv");
    CliProcess.Result r = CliProcess.run("export", "--config", config.toString(), "--out", csv.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("cannot tell the format of '" + csv + "' from its name: pass --format jsonl or"
        + " --format parquet, or name the file *.jsonl or *.parquet");
    assertThat(csv).doesNotExist();
    assertThat(csv.getParent()).doesNotExist();

    assertThat(CliProcess.ok("export", "--config", config.toString(), "--out", csv.toString(), "--format", "jsonl"))
        .singleElement().asString().contains("to " + csv + " (jsonl)");
    assertThat(csv).exists();
  }

  @Test
  void theExtensionNamesTheFormatInAnyCase() throws Exception {
    Path parquet = dir.resolve("x.Parquet");
    assertThat(CliProcess.ok("export", "--config", config.toString(), "--out", parquet.toString()))
        .singleElement().asString().contains("(parquet)");
    assertThat(parquet).exists();
  }

  @Test
  void invalidLayoutSemanticsAndVersionOptionsAreUsageErrors() throws Exception {
    Path out = dir.resolve("x.jsonl");
    String cfg = config.toString();
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--schema", "trl")).isEqualTo(2);
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--semantics", "agl-v2")).isEqualTo(2);
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--semantics", "agl-v1",
        "--attempt", "all")).isEqualTo(2);
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--min-version", "main")).isEqualTo(2);
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--max-staleness", "-1")).isEqualTo(2);
    assertThat(out).doesNotExist();
    assertThat(Main.run("export", "--config", cfg, "--out", out.toString(), "--schema", "slime", "--semantics",
        "agl-v1", "--group-stats", "--max-staleness", "2")).isZero();
    assertThat(out).exists();
  }

  @Test
  void modelVersionKeepsOnlyTheCallsServedWithThatVersion() throws Exception {
    Path served = TestGateway.writeCapturingPolicyConfig(dir, "spans.db", "");
    try (TestGateway gw = TestGateway.start(ConfigLoader.load(served))) {
      List<String> versions = List.of("step-1", "step-2", "step-1");
      for (int i = 0; i < versions.size(); i++) {
        String version = versions.get(i);
        assertThat(gw.post("/rollout/r/attempt/1/v1/chat/completions",
            "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"call " + i + "\"}]}",
            "x-model-version", version).statusCode()).isEqualTo(200);
      }
      gw.awaitSpans("r", 3);
    }
    Path out = dir.resolve("v1.jsonl");
    assertThat(CliProcess.ok("export", "--config", served.toString(), "--out", out.toString(),
        "--model-version", "step-1")).singleElement().asString()
        .contains("exported 2 triplet(s)").contains("filtered_model_version=1");
    assertThat(Files.readAllLines(out)).hasSize(2).allSatisfy(line -> assertThat(line)
        .contains("\"model_version\":\"step-1\","));
  }
}
