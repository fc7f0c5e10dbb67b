package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-side timeouts through real sockets: slowloris clients (headers trickled a byte at a time) and clients
 * that stop in the middle of a body are closed, the latter after a 408 and with their span, while
 * {@code /health} keeps answering on new connections; an idle kept-alive connection is closed; a request
 * waiting on a slow model, and a stream paused longer than every client timeout, are never cut.
 */
class SlowClientTimeoutsTest {
  private static final int SLOWLORIS = 1000;
  private static final int PARTIAL_BODIES = 1000;
  private static final Duration HEADER = Duration.ofSeconds(1);
  private static final Duration BODY = Duration.ofSeconds(2);
  private static final Duration IDLE = Duration.ofSeconds(1);
  static FakeOpenAiUpstream upstream;
  static TestGateway gw;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    GatewayConfig base = TestGateway.config(StoreConfig.memory(), 1 << 20, Map.of(
        "gpt-test", TestGateway.withTimeouts(TestGateway.openAi(upstream.baseUrl(), "backend-model"),
            Duration.ofSeconds(4), Duration.ofSeconds(30))));
    gw = TestGateway.start(new GatewayConfig(null, base.server().withTimeouts(HEADER, BODY, IDLE), base.store(),
        base.models(), null));
    port = gw.gateway().port();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void slowHeadersAndStalledBodiesAreClosedWhileHealthKeepsAnswering() throws Exception {
    GatewayMetrics metrics = gw.gateway().services().metrics();
    long headerClosedBefore = metrics.connectionsClosed(GatewayMetrics.CloseReason.HEADER_TIMEOUT);
    long bodyClosedBefore = metrics.connectionsClosed(GatewayMetrics.CloseReason.BODY_TIMEOUT);
    byte[] slowHead = ("POST /rollout/slow/attempt/a/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "X-Slow: ").getBytes(StandardCharsets.US_ASCII);
    String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    byte[] partial = ("POST /rollout/stalled/attempt/a/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 100) + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
    try (Selector selector = Selector.open()) {
      Map<SocketChannel, Attacker> open = new HashMap<>();
      for (int i = 0; i < SLOWLORIS + PARTIAL_BODIES; i++) {
        boolean slowloris = i < SLOWLORIS;
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.configureBlocking(false);
        ch.write(ByteBuffer.wrap(slowloris ? slowHead : partial));
        ch.register(selector, SelectionKey.OP_READ);
        open.put(ch, new Attacker(slowloris));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long nextTrickle = 0;
      int healthChecks = 0;
      ByteBuffer buf = ByteBuffer.allocate(4096);
      List<String> answers408 = new ArrayList<>();
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        selector.select(100);
        drain(selector, open, buf, answers408);
        if (System.nanoTime() > nextTrickle) {
          selector.selectNow();
          drain(selector, open, buf, answers408);
          // one more byte on every connection still waiting: activity that keeps an idle timer from firing
          for (var e : open.entrySet()) {
            try {
              e.getKey().write(ByteBuffer.wrap(e.getValue().slowloris ? new byte[] {'a'} : new byte[] {' '}));
            } catch (IOException closed) {
              // closed by the gateway: the selector reports it
            }
          }
          // and the gateway still accepts and answers a new connection meanwhile
          assertThat(RawHttp.health(port)).startsWith("HTTP/1.1 200").contains("\"status\"");
          healthChecks++;
          nextTrickle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        }
      }
      long slowLeft = open.values().stream().filter(a -> a.slowloris).count();
      assertThat(open.size()).as("connections the gateway left open: %d slowloris, %d partial bodies (%s)",
          slowLeft, open.size() - slowLeft, open.values().stream().filter(a -> !a.slowloris).findFirst()
              .map(a -> a.received.toString()).orElse("")).isZero();
      assertThat(healthChecks).isGreaterThan(1);
      assertThat(answers408).hasSize(PARTIAL_BODIES).allSatisfy(r -> assertThat(r)
          .startsWith("HTTP/1.1 408").contains("request_timeout").contains("server.body_timeout"));
    }
    assertThat(metrics.connectionsClosed(GatewayMetrics.CloseReason.HEADER_TIMEOUT) - headerClosedBefore)
        .isEqualTo(SLOWLORIS);
    assertThat(metrics.connectionsClosed(GatewayMetrics.CloseReason.BODY_TIMEOUT) - bodyClosedBefore)
        .isEqualTo(PARTIAL_BODIES);
    // each stalled proxy request still has its one span, as an error saying why
    List<Span> spans = gw.awaitSpans("stalled", PARTIAL_BODIES);
    assertThat(spans).hasSize(PARTIAL_BODIES).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(Span.STATUS_ERROR);
      assertThat(s.statusMessage()).contains("server.body_timeout");
    });
    assertThat(gw.spans("slow")).isEmpty();
    assertThat(gw.get("/metrics").body()).contains("tracegate_connections_closed_total{reason=\"header_timeout\"}");
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsResponse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200");
      int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
      assertThat(in.readNBytes(length)).hasSize(length);
      // kept alive: nothing more is sent, the gateway closes it (read returns end of stream, not a timeout)
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aSlowModelAndAPausedStreamAreNotCutByClientTimeouts() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    upstream.gateAfterFirstChunk();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).startsWith("data: ");
      // silent longer than the header, body and idle timeouts together
      TimeUnit.MILLISECONDS.sleep(HEADER.plus(BODY).plus(IDLE).toMillis() + 500);
      upstream.releaseGate();
      StringBuilder rest = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(rest).contains(FakeOpenAiUpstream.ANSWER_PIECES.get(4)).contains("data: [DONE]");
    }

    // a model that does not answer at all: the client gets the upstream timeout (4 s), not a closed connection
    upstream.mode(FakeOpenAiUpstream.Mode.HANG);
    try {
      HttpResponse<String> hung = gw.post("/v1/chat/completions",
          "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(hung.statusCode()).isEqualTo(504);
      assertThat(hung.body()).contains("upstream_timeout");
    } finally {
      upstream.mode(FakeOpenAiUpstream.Mode.NORMAL);
    }
  }

  /** Reads what the selected connections received; removes (and closes) those the gateway closed. */
  private static void drain(Selector selector, Map<SocketChannel, Attacker> open, ByteBuffer buf,
      List<String> answers408) throws IOException {
    for (SelectionKey key : selector.selectedKeys()) {
      SocketChannel ch = (SocketChannel) key.channel();
      Attacker a = open.get(ch);
      int n;
      do {
        buf.clear();
        try {
          n = ch.read(buf);
        } catch (IOException reset) {
          n = -1;
        }
        if (n > 0) {
          a.received.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
        }
      } while (n > 0);
      if (n < 0) {
        if (!a.slowloris) {
          answers408.add(a.received.toString());
        }
        ch.close();
        open.remove(ch);
      }
    }
    selector.selectedKeys().clear();
  }


  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (sb.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
  }

  private static final class Attacker {
    final boolean slowloris;
    final StringBuilder received = new StringBuilder();

    Attacker(boolean slowloris) {
      this.slowloris = slowloris;
    }
  }
}
