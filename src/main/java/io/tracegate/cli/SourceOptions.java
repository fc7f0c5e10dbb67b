package io.tracegate.cli;

import io.tracegate.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by read commands: which store to read (or which gateway to ask), and the output format. */
final class SourceOptions {
  @Option(names = "--config", defaultValue = "conf/tracegate.yaml",
      description = "Read the store configured in this file directly (default: ${DEFAULT-VALUE}); with --url and no"
          + " URL, ask the gateway this file configures instead.")
  Path config;

  @Option(names = "--url", arity = "0..1", paramLabel = "URL", fallbackValue = "",
      description = "Ask a running gateway instead of reading the store, e.g. http://127.0.0.1:4000; without a URL,"
          + " the gateway --config describes (its server.host and server.port).")
  String url;

  @Option(names = "--json", description = "Print JSON (one object per line) instead of a table.")
  boolean json;

  SpanSource open() {
    if (url == null) {
      return new StoreSource(config);
    }
    return new HttpSource(url.isBlank() ? GatewayUrl.of(ConfigLoader.load(config).server()) : GatewayUrl.parse(url));
  }
}
