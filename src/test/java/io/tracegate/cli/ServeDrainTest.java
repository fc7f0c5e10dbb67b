package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.trace.Span;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracegate serve} as a real process under SIGTERM with a stream in flight: it stops accepting, lets
 * the stream finish within {@code server.shutdown_grace}, or cuts it when the grace period is over and
 * records it as {@code cancelled} / {@code shutdown}; the span is in the store after exit either way (the
 * flush interval is an hour, so only the shutdown's flush can have written it).
 */
class ServeDrainTest {
  private static final Pattern READY = Pattern.compile("tracegate ready on (http://\\S+)");
  private static final int CHARS = 16;
  @TempDir Path dir;
  private FakeOpenAiUpstream upstream;
  private Process serve;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new FakeOpenAiUpstream();
  }

  @AfterEach
  void stop() throws Exception {
    if (serve != null) {
      serve.destroyForcibly();
    }
    upstream.close();
  }

  @Test
  void sigtermLetsAStreamInFlightFinishAndRefusesNewConnections() throws Exception {
    upstream.streamSteadily(20, CHARS, 200); // ~4 s
    URI base = serve("");
    try (Socket client = new Socket(base.getHost(), base.getPort())) {
      send(client, "drain-ok");
      String head = RawHttp.readUntil(client, FakeOpenAiUpstream.steadyPiece(0, CHARS));
      serve.destroy(); // SIGTERM
      RawHttp.await("new connections are refused while the stream drains", 10, () -> refused(base));
      assertThat(serve.isAlive()).as("still draining when it stopped accepting").isTrue();
      String all = head + readToEnd(client.getInputStream());
      assertThat(all).contains(FakeOpenAiUpstream.steadyPiece(19, CHARS)).contains("data: [DONE]");
    }
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Span s = onlySpan("drain-ok");
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("ok");
    assertThat(s.response().path("choices").get(0).path("message").path("content").asText()).hasSize(20 * CHARS);
  }

  @Test
  void aStreamStillRunningWhenTheGracePeriodEndsIsCutAndRecordedAsShutdown() throws Exception {
    upstream.streamSteadily(100, CHARS, 200); // ~20 s, far beyond the 1 s grace period
    URI base = serve(", shutdown_grace: 1s");
    String all;
    try (Socket client = new Socket(base.getHost(), base.getPort())) {
      client.setSoTimeout(30_000);
      send(client, "drain-cut");
      String head = RawHttp.readUntil(client, FakeOpenAiUpstream.steadyPiece(0, CHARS));
      serve.destroy(); // SIGTERM
      all = head + readToEnd(client.getInputStream());
    }
    assertThat(all).doesNotContain("[DONE]").contains("shutting down");
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Span s = onlySpan("drain-cut");
    assertThat(s.status()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).isEqualTo("shutdown");
    assertThat(s.attributes()).containsEntry("error.type", "shutdown");
    assertThat(s.response().path("choices").get(0).path("message").path("content").asText())
        .as("what was received before the cut").startsWith(FakeOpenAiUpstream.steadyPiece(0, CHARS));
    RawHttp.await("the upstream call was reset", 10, () -> upstream.closedConnections() >= 1);
  }

  private URI serve(String serverOptions) throws Exception {
    Path config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 0" + serverOptions + " }",
        "store: { kind: sqlite, path: " + dir.resolve("drain.db") + ", flush_interval: 1h }",
        "models:",
        "  - name: slow",
        "    backends:",
        "      - provider: openai",
        "        base_url: " + upstream.baseUrl(),
        ""));
    Path log = dir.resolve("serve.log");
    serve = new ProcessBuilder(CliProcess.command("serve", "--config", config.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && serve.isAlive()) {
      Matcher m = READY.matcher(Files.readString(log));
      if (m.find()) {
        return URI.create(m.group(1));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("serve did not start: " + Files.readString(log));
  }

  private static void send(Socket client, String rollout) throws Exception {
    OutputStream out = client.getOutputStream();
    out.write(RawHttp.post("/rollout/" + rollout + "/attempt/a/v1/chat/completions",
        "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"));
    out.flush();
  }

  private static boolean refused(URI base) {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String readToEnd(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all); // until the gateway closes the connection
    return all.toString(StandardCharsets.UTF_8);
  }

  private Span onlySpan(String rollout) throws Exception {
    try (SpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("drain.db"))) {
      List<Span> spans = store.query(new SpanQuery(rollout, null, null, null, 10, null)).spans();
      assertThat(spans).hasSize(1);
      return spans.get(0);
    }
  }
}
