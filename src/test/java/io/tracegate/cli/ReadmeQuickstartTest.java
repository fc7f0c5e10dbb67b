package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using it" commands run as written, in bash, from a directory holding the project's default
 * config, against {@code tracegate serve} started there as its own process, with none of the SDK key variables
 * set beforehand: the block must set what the clients need. Then the official Java SDKs, configured only from
 * the variables the block exported, call the gateway. Three substitutions make the block runnable in a test:
 * the gateway listens on a free port instead of 4000, {@code bin/tracegate} is this build's CLI (with that port
 * for {@code reward}, whose default is 4000), and {@code claude} is Claude Code when {@code TRACEGATE_TEST_CLAUDE}
 * names its binary, else a stand-in that refuses to run without the two variables Claude Code needs offline
 * (a key and {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1}) and sends the prompt with curl.
 */
class ReadmeQuickstartTest {
  private static final Pattern READY = Pattern.compile("tracegate ready on http://127\\.0\\.0\\.1:(\\d+)");
  private static final String ANSWER = "Mock answer to: hello.";

  @TempDir Path work;

  @Test
  void theUsingItBlockRunsAsWrittenAndTheSdksRunOnWhatItExports() throws Exception {
    String block = usingItBlock(Files.readString(Path.of("README.md")));
    assertThat(block)
        .contains("export OPENAI_API_KEY=dummy")
        .contains("export ANTHROPIC_API_KEY=dummy")
        .contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 claude");
    Files.createDirectories(work.resolve("conf"));
    for (String file : List.of("tracegate.yaml", "pricing.yaml")) {
      Files.copy(Path.of("conf", file), work.resolve("conf").resolve(file));
    }

    Process gateway = start(CliProcess.command("serve", "--port", "0"));
    try {
      int port = awaitReady(gateway);
      Path script = work.resolve("readme.sh");
      Files.writeString(script, prelude(port) + block.replace("http://127.0.0.1:4000", "http://127.0.0.1:" + port)
          .replace("bin/tracegate ", "tracegate_cli ") + "\n\"$JAVA\" -cp \"$CP\" " + ReadmeSdkCheck.class.getName()
          + "\n");
      Process shell = start(List.of("bash", script.toString()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(shell.getErrorStream()));
      String out = read(shell.getInputStream());
      assertThat(shell.waitFor(120, TimeUnit.SECONDS)).as("the README block finished").isTrue();
      assertThat(shell.exitValue()).as("exit code; stdout ends:%n%s%nstderr:%n%s", tail(out), err.get()).isZero();

      // before the first table: curl (OpenAI), curl (Anthropic) and claude, whose answers share lines (curl
      // prints no final newline)
      int table = out.indexOf("SEQ ");
      assertThat(table).as(tail(out)).isPositive();
      String clients = out.substring(0, table);
      assertThat(clients).contains("{\"id\":\"chatcmpl-", "{\"id\":\"msg_");
      assertThat(clients.split(Pattern.quote(ANSWER), -1)).as(clients).hasSize(4);
      List<String> lines = out.lines().collect(Collectors.toList());
      assertThat(out).contains("openai-sdk: " + ANSWER).contains("anthropic-sdk: " + ANSWER)
          .contains("recorded for rollout r1 (attempt a1")
          .contains("exported 1 triplet(s) from 1 rollout(s) to data/r1.parquet")
          // no error answer (OpenAI or Anthropic shape) and no failed span; a span's attempts say "error":null
          .doesNotContain("\"error\":{", "\"type\":\"error\"", "\"status\":\"error\"");
      // `spans --rollout r1` oldest first, then `spans --last 5` newest first
      assertThat(lines.stream().filter(l -> l.matches("\\d+ +[0-9a-f]{16} .* r1/a1")).map(l -> l.split(" ")[0]))
          .as("table rows: %s", tail(out)).containsExactly("1", "2", "3", "3", "2", "1");
      assertThat(Files.size(work.resolve("data/r1.parquet"))).isPositive();
    } finally {
      gateway.destroy();
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway stopped on SIGTERM").isTrue();
    }
  }

  /** The first fenced block under "## Using it". */
  private static String usingItBlock(String readme) {
    int section = readme.indexOf("## Using it");
    assertThat(section).as("README has a 'Using it' section").isNotNegative();
    int open = readme.indexOf("```\n", section) + 4;
    return readme.substring(open, readme.indexOf("```", open));
  }

  private static String prelude(int port) {
    String claude = System.getenv("TRACEGATE_TEST_CLAUDE");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return String.join("\n",
        "set -euo pipefail",
        "JAVA=" + quote(java),
        "CP=" + quote(System.getProperty("java.class.path")),
        "tracegate_cli() {",
        "  if [ \"$1\" = reward ]; then set -- \"$@\" --url http://127.0.0.1:" + port + "; fi",
        "  \"$JAVA\" -cp \"$CP\" " + Main.class.getName() + " \"$@\"",
        "}",
        // Claude Code (Node) leaves a stdout pipe it shares in non-blocking mode, and the next writer to it (curl)
        // then fails with EAGAIN (exit 23): give it a pipe of its own
        claude != null && !claude.isBlank() ? "claude() { " + quote(claude) + " \"$@\" | cat; }" : String.join("\n",
            "claude() {",
            "  [ -n \"${ANTHROPIC_API_KEY:-}\" ] || { echo 'claude: no API key variable' >&2; return 1; }",
            "  [ \"${CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC:-}\" = 1 ] || { echo 'claude: offline, would hang on"
                + " Anthropic hosts' >&2; return 1; }",
            "  curl -sf \"$ANTHROPIC_BASE_URL/v1/messages\" -H \"x-api-key: $ANTHROPIC_API_KEY\""
                + " -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01'"
                + " -d '{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"'\"$2\"'\"}]}'",
            "  echo",
            "}"),
        "") + "\n";
  }

  private Process start(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    for (String variable : List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
        "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")) {
      pb.environment().remove(variable);
    }
    return pb.start();
  }

  /** Reads the gateway's stderr until it says where it listens; the rest is drained in the background. */
  private static int awaitReady(Process gateway) throws Exception {
    BufferedReader err = new BufferedReader(new InputStreamReader(gateway.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        StringBuilder seen = new StringBuilder();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          Matcher m = READY.matcher(line);
          if (m.find()) {
            CompletableFuture.runAsync(() -> read(gateway.getErrorStream()));
            return Integer.parseInt(m.group(1));
          }
          seen.append(line).append('\n');
        }
        throw new IllegalStateException("the gateway exited before it was ready:\n" + seen);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    CompletableFuture.runAsync(() -> read(gateway.getInputStream()));
    return port.get(60, TimeUnit.SECONDS);
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
