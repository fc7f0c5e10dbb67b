package io.tracegate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by read commands: which store to read, and the output format. */
final class SourceOptions {
  @Option(names = "--config", defaultValue = "conf/tracegate.yaml",
      description = "Read the store configured in this file directly (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--url", description = "Read from a running gateway instead, e.g. http://127.0.0.1:4000.")
  String url;

  @Option(names = "--json", description = "Print JSON (one object per line) instead of a table.")
  boolean json;

  SpanSource open() {
    return url != null ? new HttpSource(url) : new StoreSource(config);
  }
}
