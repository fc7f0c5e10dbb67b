package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
