package io.tracegate.cli;

import io.tracegate.config.ConfigLoader;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.store.StoreCopy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracegate store}: operations on a span store as a whole. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Span store operations.",
    subcommands = StoreCommand.Copy.class)
final class StoreCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /**
   * {@code tracegate store copy --from A --to B}: copies the store of config A into the store of config B (SQLite
   * into PostgreSQL, or back). The source is opened read-only (a gateway may keep serving on it); the target
   * read-write (a SQLite target must not have a gateway on it; a PostgreSQL one may). Running it again copies
   * nothing.
   */
  @Command(name = "copy", mixinStandardHelpOptions = true,
      description = "Copy every span and rollout of one store into another; running it again is a no-op.")
  static final class Copy implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "CONFIG", description = "Config of the store to read.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "CONFIG", description = "Config of the store to write.")
    Path to;

    @Override
    public Integer call() {
      ProgressLine bar = new ProgressLine(Terminal.stderr(), "spans");
      StoreCopy.Result result;
      String source;
      String target;
      try (SpanStore in = SpanStores.open(ConfigLoader.load(from).store(), true);
          SpanStore out = SpanStores.open(ConfigLoader.load(to).store(), false)) {
        source = in.describe();
        target = out.describe();
        result = new StoreCopy(in, out).run(bar::draw);
      }
      bar.done();
      System.out.println("copied " + result.spansCopied() + " span(s) and " + result.rollouts() + " rollout(s) from "
          + source + " to " + target + "; " + result.spansPresent() + " span(s) were already there; "
          + result.keys() + " virtual key(s) copied");
      return 0;
    }
  }
}
