package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures caused by the client are not blamed on the upstream, nor on the gateway. */
class BlameTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final int CHUNKS = 160;
  private static final int CHARS = 64 * 1024;
  private FakeOpenAiUpstream upstream;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    // idle timeout 1 s: far shorter than the time the client below leaves the stream unread
    BackendConfig b = TestGateway.withTimeouts(TestGateway.openAi(upstream.baseUrl(), "backend-model"),
        Duration.ofSeconds(10), Duration.ofSeconds(1));
    // the whole 10 MiB answer recorded (above the default store.max_recorded_body), to check nothing was lost
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory().withMaxRecordedBody(64L << 20), 1 << 20,
        Map.of("gpt-test", b)));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  /**
   * The upstream sends 10 MiB steadily (a 64 KiB chunk every 10 ms) while the client reads nothing for
   * 4 s: back-pressure pauses the upstream read, and a paused read is not upstream silence, so the stream
   * completes instead of being cut as an upstream idle timeout.
   */
  @Test
  void aSlowReaderIsNotAnUpstreamTimeout() throws Exception {
    upstream.streamSteadily(CHUNKS, CHARS, 10);
    String body = "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String all;
    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(8 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", gw.gateway().port()), 5000);
      client.setSoTimeout(30_000);
      OutputStream out = client.getOutputStream();
      out.write(RawHttp.post("/rollout/slow-reader/attempt/a" + CHAT, body));
      out.flush();
      String head = RawHttp.readUntil(client, "\"role\":\"assistant\"");
      TimeUnit.SECONDS.sleep(4); // reads nothing: four times the idle timeout
      all = head + readToEnd(client.getInputStream());
    }
    assertThat(all).doesNotContain("upstream_timeout").contains("data: [DONE]");
    for (int i = 0; i < CHUNKS; i += 37) {
      assertThat(all).contains(FakeOpenAiUpstream.steadyPiece(i, CHARS));
    }
    Span s = gw.awaitSpans("slow-reader", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("ok");
    assertThat(s.response().path("choices").get(0).path("message").path("content").asText())
        .hasSize(CHUNKS * CHARS);
  }

  /** A client that closes its connection in the middle of its request body has cancelled, not met a 500. */
  @Test
  void anAbortedUploadIsCancelled() throws Exception {
    try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(RawHttp.postHead("/rollout/aborted-upload/attempt/a" + CHAT, 100_000));
      out.write("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
      out.write("x".repeat(20_000).getBytes(StandardCharsets.UTF_8));
      out.flush();
      TimeUnit.MILLISECONDS.sleep(200); // the gateway is reading the body
    }
    Span s = gw.awaitSpans("aborted-upload", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).contains("client disconnected");
    assertThat(s.attributes()).containsEntry("tracegate.http.status_code", ProxyCall.CLIENT_CLOSED_STATUS);
    assertThat(upstream.pendingRequests()).isZero();
  }

  private static String readToEnd(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      all.write(buf, 0, n);
      byte[] sofar = all.toByteArray();
      if (endsWith(sofar, "0\r\n\r\n")) {
        break; // last chunk of a chunked response
      }
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  private static boolean endsWith(byte[] b, String suffix) {
    byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
    if (b.length < s.length) {
      return false;
    }
    for (int i = 0; i < s.length; i++) {
      if (b[b.length - s.length + i] != s[i]) {
        return false;
      }
    }
    return true;
  }
}
