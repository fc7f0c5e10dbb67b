package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/cli.md against the real picocli model of every command, so the page cannot fall behind the code. */
class CliDocsTest {
  private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
  private final CommandLine root = new CommandLine(new Main());

  @Test
  void everyOptionOfEveryCommandIsInItsSectionOfCliMd() throws Exception {
    String doc = Files.readString(Path.of("docs/cli.md"));
    List<String> missing = new ArrayList<>();
    for (OptionSpec o : root.getCommandSpec().options()) {
      for (String name : o.names()) {
        if (!mentions(doc, name)) {
          missing.add("tracegate " + name);
        }
      }
    }
    for (Map.Entry<String, CommandLine> sub : commands().entrySet()) {
      String section = section(doc, "tracegate " + sub.getKey());
      assertThat(section).as("docs/cli.md has a section ## `tracegate %s`", sub.getKey()).isNotNull();
      for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
        for (String name : o.names()) {
          // -h/--help and -V/--version are described once for every command
          if (!mentions(o.usageHelp() || o.versionHelp() ? doc : section, name)) {
            missing.add("tracegate " + sub.getKey() + " " + name);
          }
        }
      }
    }
    assertThat(missing).as("options missing from docs/cli.md").isEmpty();
  }

  @Test
  void theDocsNameNoOptionThatDoesNotExist() throws Exception {
    Set<String> real = new TreeSet<>();
    for (CommandLine sub : commands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        real.addAll(List.of(o.names()));
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String file : List.of("README.md", "docs/cli.md", "docs/dataset.md", "docs/config.md", "docs/http-api.md",
        "docs/spans.md")) {
      Matcher m = LONG_OPTION.matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        if (!real.contains(m.group(1))) {
          unknown.add(file + ": " + m.group(1));
        }
      }
    }
    assertThat(unknown).as("options named in the docs that no command has").isEmpty();

    String doc = Files.readString(Path.of("docs/cli.md"));
    for (Map.Entry<String, CommandLine> sub : commands().entrySet()) {
      Set<String> own = new TreeSet<>();
      for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
        own.addAll(List.of(o.names()));
      }
      Matcher m = LONG_OPTION.matcher(section(doc, "tracegate " + sub.getKey()));
      while (m.find()) {
        assertThat(own).as("options named in the section of tracegate %s", sub.getKey()).contains(m.group(1));
      }
    }
  }

  /** Every command below the root by its path ("spans", "store", "store copy"). */
  private Map<String, CommandLine> commands() {
    Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
    addCommands("", root, all);
    return all;
  }

  private static void addCommands(String prefix, CommandLine parent, Map<String, CommandLine> all) {
    for (Map.Entry<String, CommandLine> sub : parent.getSubcommands().entrySet()) {
      String path = prefix + sub.getKey();
      all.put(path, sub.getValue());
      addCommands(path + " ", sub.getValue(), all);
    }
  }

  /** An option name written as code: {@code `--limit N`}, {@code `--url [URL]`}, {@code `-h`}. */
  private static boolean mentions(String text, String name) {
    return Pattern.compile("`" + Pattern.quote(name) + "[ `]").matcher(text).find();
  }

  /** The text of the "## `title`" section up to the next "## " heading, or null. */
  private static String section(String doc, String title) {
    int start = doc.indexOf("\n## `" + title + "`");
    if (start < 0) {
      return null;
    }
    int end = doc.indexOf("\n## ", start + 1);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
