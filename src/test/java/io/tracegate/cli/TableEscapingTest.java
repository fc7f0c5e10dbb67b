package io.tracegate.cli;

import static io.tracegate.store.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.SpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout ids and other recorded strings are whatever clients sent: the tables of {@code spans} and
 * {@code rollouts} (run as their own process) show their control characters as escapes.
 */
class TableEscapingTest {
  private static final String EVIL = "evil\n\u001b[31mred\tx\r\u202e";
  private static final String SHOWN = "evil\\n\\u001b[31mred\\tx\\r\\u202e";
  @TempDir Path dir;

  @Test
  void controlCharactersInTablesAreShownAsEscapes() throws Exception {
    Path db = dir.resolve("evil.db");
    try (SpanStore store = SqliteSpanStore.open(db)) {
      store.append(List.of(span("e1", EVIL, "a\u0007", 1L, "llm", 1_000, 2_000, "ok", 3L, 4L, null),
          span("e2", "plain", null, 1L, "llm", 3_000, 4_000, "ok", 1L, 1L, null)));
    }
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, "store: { kind: sqlite, path: " + db
        + " }\nmodels:\n  - name: m\n    backends:\n      - provider: mock\n");

    CliProcess.Result spans = CliProcess.run("spans", "--config", config.toString());
    assertThat(spans.exit()).as(spans.err()).isZero();
    assertPlain(spans.out());
    assertThat(spans.lines()).hasSize(4); // header, two spans, summary
    assertThat(spans.lines().get(1)).endsWith(SHOWN + "/a\\u0007");

    CliProcess.Result rollouts = CliProcess.run("rollouts", "--config", config.toString());
    assertThat(rollouts.exit()).as(rollouts.err()).isZero();
    assertPlain(rollouts.out());
    assertThat(rollouts.lines()).hasSize(4);
    assertThat(rollouts.lines()).anySatisfy(line -> assertThat(line).startsWith(SHOWN + "  "));
  }

  @Test
  void visibleLeavesOrdinaryTextAloneAndEscapesTheRest() {
    assertThat(Formats.visible("r-1 ü 中文 🙂")).isEqualTo("r-1 ü 中文 🙂");
    assertThat(Formats.visible(EVIL)).isEqualTo(SHOWN);
    assertThat(Formats.visible("\u0000\u007f\u0085\u2028\u2066")).isEqualTo("\\u0000\\u007f\\u0085\\u2028\\u2066");
  }

  private static void assertPlain(String out) {
    assertThat(out).doesNotContain("\u001b").doesNotContain("\t").doesNotContain("\r").doesNotContain("\u202e");
  }
}
