package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code tracegate} in its own JVM, as {@code bin/tracegate} does, and captures what it prints. */
final class CliProcess {
  private CliProcess() {}

  /** What one run printed and how it exited. */
  record Result(int exit, String out, String err) {
    /** The non-blank lines of stdout. */
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  /** Runs the CLI with stdout and stderr as pipes (not a terminal). */
  static Result run(String... args) throws Exception {
    return runWithEnv(java.util.Map.of(), args);
  }

  /**
   * {@link #run} with these environment variables set (a null value removes the variable); the process otherwise
   * inherits this one's environment.
   */
  static Result runWithEnv(java.util.Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command(args));
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    return new Result(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
  }

  /** Runs the CLI and expects exit code 0; returns the non-blank lines of stdout. */
  static List<String> ok(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.exit()).as("exit code, stderr: %s", r.err()).isZero();
    return r.lines();
  }

  /**
   * Runs the CLI on a pseudo-terminal (util-linux {@code script}, as a person at a terminal would): stdin and
   * stdout are the terminal; stderr too, or the file {@code stderrFile} when it is not null. {@code out} is
   * what the terminal showed (line ends as CR LF), {@code err} what reached the file.
   */
  static Result runOnTerminal(Path stderrFile, String... args) throws Exception {
    StringBuilder shell = new StringBuilder();
    for (String part : command(args)) {
      shell.append(quote(part)).append(' ');
    }
    if (stderrFile != null) {
      shell.append("2>").append(quote(stderrFile.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", shell.toString(), "/dev/null");
    for (String colourSwitch : List.of("NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE")) {
      pb.environment().remove(colourSwitch);
    }
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
    String terminal = read(p.getInputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    return new Result(p.exitValue(), terminal, stderrFile == null ? "" : Files.readString(stderrFile));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static final java.util.regex.Pattern READY =
      java.util.regex.Pattern.compile("tracegate ready on (http://\\S+)");

  /**
   * Waits (up to 60 s) until a {@code serve} process whose stderr goes to {@code log} says it is ready; returns
   * its base URL. Fails with the log when the process exits or the time runs out first.
   */
  static String awaitReady(Process serve, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && serve.isAlive()) {
      java.util.regex.Matcher m = READY.matcher(Files.readString(log));
      if (m.find()) {
        return m.group(1);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("serve did not start: " + Files.readString(log));
  }

  /** The java command line that runs {@link Main} with this JVM's classpath. */
  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
