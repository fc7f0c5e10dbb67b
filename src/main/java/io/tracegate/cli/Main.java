package io.tracegate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tracegate} command. */
@Command(
    name = "tracegate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    scope = CommandLine.ScopeType.INHERIT, // every subcommand's -V prints the version too
    description = "LLM proxy and tracing gateway: records every call as a span, exports RL datasets.",
    subcommands = {ServeCommand.class, SpansCommand.class, RolloutsCommand.class, RewardCommand.class,
        ExportCommand.class, ReportCommand.class, KeysCommand.class, StoreCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure();
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int run(String... args) {
    // usage and errors are coloured only when both stdout and stderr are terminals (then picocli's own
    // NO_COLOR / CLICOLOR rules apply): a redirected stream never receives ANSI escapes
    CommandLine.Help.Ansi ansi = Terminal.stdout() && Terminal.stderr() ? CommandLine.Help.Ansi.AUTO
        : CommandLine.Help.Ansi.OFF;
    return new CommandLine(new Main())
        .setColorScheme(CommandLine.Help.defaultColorScheme(ansi))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // expected failures (bad config, unreadable store, bad arguments) get one clear line, no stack trace
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          cmd.getErr().println("tracegate: " + Formats.visible(message));
          return 2;
        })
        .execute(args);
  }

  /** {@code tracegate} alone: a usage error (exit 2) that lists the commands, on stderr. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "tracegate needs a command");
  }
}
