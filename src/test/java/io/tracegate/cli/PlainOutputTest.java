package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colours and the progress bar reach a terminal, never a file: here stdin and stdout are a real
 * pseudo-terminal while stderr goes to a file, as in {@code tracegate export ... 2>export.log}.
 */
class PlainOutputTest {
  private static final String ESC = "\u001b";
  @TempDir Path dir;

  @Test
  void stderrRedirectedToAFileGetsNoAnsiEscapes() throws Exception {
    Path err = dir.resolve("err.txt");
    CliProcess.Result r = CliProcess.runOnTerminal(err, "spans", "--bogus");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--bogus'").contains("Usage: tracegate spans").doesNotContain(ESC);
  }

  @Test
  void exportDrawsNoProgressBarIntoAFile() throws Exception {
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, "store: { kind: memory }\nmodels:\n  - name: m\n    backends:\n      - provider: mock\n");
    Path err = dir.resolve("export.log");
    CliProcess.Result r = CliProcess.runOnTerminal(err, "export", "--config", config.toString(),
        "--out", dir.resolve("x.jsonl").toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("exported 0 triplet(s)");
    assertThat(r.err()).doesNotContain("\r").doesNotContain("rollouts");
  }

  @Test
  void aTerminalStillGetsColouredHelp() throws Exception {
    CliProcess.Result r = CliProcess.runOnTerminal(null, "spans", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage:").contains(ESC + "[");
  }
}
