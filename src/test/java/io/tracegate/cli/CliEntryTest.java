package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code tracegate} itself, run as its own process: no command, --version. */
class CliEntryTest {

  @Test
  void noCommandPrintsUsageOnStderrAndExits2() throws Exception {
    CliProcess.Result r = CliProcess.run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tracegate needs a command").contains("Usage: tracegate")
        .contains("serve", "spans", "rollouts", "reward", "export");
  }

  @Test
  void versionIsThePomsVersion() throws Exception {
    CliProcess.Result r = CliProcess.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).isEqualTo("tracegate " + pomVersion());
    assertThat(CliProcess.ok("export", "-V")).containsExactly("tracegate " + pomVersion());
  }

  /** The project's own version: the first {@code <version>} after its artifactId in pom.xml. */
  private static String pomVersion() throws Exception {
    Matcher m = Pattern.compile("<artifactId>tracegate</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("pom.xml names tracegate's version").isTrue();
    return m.group(1);
  }
}
