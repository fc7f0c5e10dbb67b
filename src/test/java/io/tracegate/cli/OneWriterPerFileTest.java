package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.server.Gateway;
import io.tracegate.store.StoreException;
import io.tracegate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway per SQLite file: a second gateway on the same file, in another process or in this one, refuses
 * to start with a message naming the file (two writers produced duplicate sequence ids), while the CLI still
 * reads the file; the lock goes with the process that held it, SIGKILL included.
 */
class OneWriterPerFileTest {
  @TempDir Path dir;

  @Test
  void aSecondGatewayOnTheSameFileRefusesToStartAndTheCliStillReads() throws Exception {
    Path db = dir.resolve("shared.db");
    Path config = TestGateway.writeCapturingPolicyConfig(dir, "shared.db", "");
    GatewayConfig cfg = ConfigLoader.load(config, Map.of());

    Process first = serve(config, dir.resolve("first.log"));
    try {
      String base = CliProcess.awaitReady(first, dir.resolve("first.log"));
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(base + "/rollout/lock-r/attempt/a/v1/chat/completions"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);

      // a gateway in this JVM on the same file: refused, naming the file and the process holding it
      assertThatThrownBy(() -> Gateway.start(cfg).close())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("span store " + db + " is already open for writing by process " + first.pid())
          .hasMessageContaining("another tracegate gateway");

      // the CLI reads the file while the first gateway serves (the span is there after the flush interval)
      List<String> lines = awaitCliLines(config);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).contains("lock-r");

      first.destroyForcibly(); // SIGKILL: the OS releases the lock with the process
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.destroyForcibly();
    }

    try (TestGateway gw = TestGateway.start(cfg)) {
      // ... and now the second gateway process is refused, by this one
      Path log = dir.resolve("second.log");
      Process second = serve(config, log);
      try {
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second gateway exits").isTrue();
        assertThat(second.exitValue()).isEqualTo(2);
        String out = Files.readString(log);
        assertThat(out).contains("tracegate: span store " + db + " is already open for writing by process "
            + ProcessHandle.current().pid()).doesNotContain("ready on").doesNotContain("\tat ");
      } finally {
        second.destroyForcibly();
      }
      // a second gateway in the same JVM: same message (the JVM's OverlappingFileLockException)
      assertThatThrownBy(() -> Gateway.start(cfg).close())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("span store " + db + " is already open for writing by this process");
      assertThat(gw.post("/rollout/lock-r/attempt/a/v1/chat/completions",
          "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}").statusCode())
          .isEqualTo(200);
      assertThat(gw.awaitSpans("lock-r", 2)).extracting(s -> s.sequenceId()).containsExactly(1L, 2L);
    }
    // closed: the file takes a writer again
    try (Gateway again = Gateway.start(cfg)) {
      assertThat(again.port()).isPositive();
    }
  }

  private static Process serve(Path config, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(CliProcess.command("serve", "--config", config.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }


  private static List<String> awaitCliLines(Path config) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<String> lines = CliProcess.ok("spans", "--config", config.toString(), "--rollout", "lock-r", "--json");
      if (!lines.isEmpty() || System.nanoTime() > deadline) {
        return lines;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}
