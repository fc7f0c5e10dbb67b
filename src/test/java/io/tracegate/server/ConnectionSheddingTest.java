package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over {@code server.shed_connections_above}, new connections make room by closing the oldest ones that are not
 * being answered, so a flood of slow clients cannot keep the gateway from accepting ({@code /health} included)
 * before their timeouts expire. The timeouts here are an hour: only shedding closes anything.
 */
class ConnectionSheddingTest {
  private static final int SHED_ABOVE = 40;
  private static final Duration HOUR = Duration.ofHours(1);
  static TestGateway gw;
  static int port;
  final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig base = TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("mock-model", TestGateway.mock(Set.of())));
    gw = TestGateway.start(new GatewayConfig(null, base.server().withTimeouts(HOUR, HOUR, HOUR)
        .withShedConnectionsAbove(SHED_ABOVE), base.store(), base.models(), null));
    port = gw.gateway().port();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @AfterEach
  void closeSockets() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    // what is left is the test client's kept-alive connection to the API
    awaitOpenConnectionsAtMost(2);
  }

  @Test
  void theOldestSlowlorisConnectionsMakeRoomAndHealthKeepsAnswering() throws Exception {
    GatewayMetrics metrics = gw.gateway().services().metrics();
    long shedBefore = metrics.connectionsClosed(GatewayMetrics.CloseReason.SHED);
    int total = 3 * SHED_ABOVE;
    for (int i = 0; i < total; i++) {
      // one at a time (a burst beyond half as many again is refused at the acceptor: see below)
      sockets.add(connectAccepted("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
    }
    // every connection past the threshold closed an older one: the gateway holds no more than the threshold
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (metrics.connectionsClosed(GatewayMetrics.CloseReason.SHED) - shedBefore < total - SHED_ABOVE
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(metrics.connectionsClosed(GatewayMetrics.CloseReason.SHED) - shedBefore)
        .isGreaterThanOrEqualTo(total - SHED_ABOVE);
    awaitOpenConnectionsAtMost(SHED_ABOVE);

    assertThat(RawHttp.health(port)).startsWith("HTTP/1.1 200");

    // the closed ones are the oldest: the newest half of what the gateway may hold is still open
    for (Socket s : sockets.subList(total - SHED_ABOVE / 2, total)) {
      assertThat(stillOpen(s)).as("one of the newest connections").isTrue();
    }
    int closed = 0;
    for (Socket s : sockets.subList(0, SHED_ABOVE)) {
      closed += stillOpen(s) ? 0 : 1;
    }
    assertThat(closed).as("of the oldest %d connections", SHED_ABOVE).isEqualTo(SHED_ABOVE);
    assertThat(gw.get("/metrics").body()).contains("tracegate_connections_closed_total{reason=\"shed\"} ")
        .contains("tracegate_client_connections ");
  }

  @Test
  void requestsStillSendingTheirBodyAreShedWithA503AndTheirSpan() throws Exception {
    String body = "{\"model\":\"mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String partial = "POST /rollout/shed-body/attempt/a/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 100) + "\r\n\r\n" + body;
    int total = SHED_ABOVE + 10;
    for (int i = 0; i < total; i++) {
      sockets.add(connectAccepted(partial));
      TimeUnit.MILLISECONDS.sleep(20); // lets the gateway read the headers before the next connection arrives
    }
    awaitOpenConnectionsAtMost(SHED_ABOVE);
    List<String> answers = new ArrayList<>();
    for (Socket s : sockets.subList(0, total - SHED_ABOVE / 2)) {
      String answer = answerIfClosed(s);
      if (answer != null) {
        answers.add(answer);
      }
    }
    List<String> answered = answers.stream().filter(a -> !a.isEmpty()).toList();
    assertThat(answered).as("requests shed while their body was arriving").isNotEmpty()
        .allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 503").contains("shed_connections_above"));
    List<Span> spans = gw.awaitSpans("shed-body", answered.size());
    assertThat(spans).hasSize(answered.size()).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(Span.STATUS_ERROR);
      assertThat(s.statusMessage()).contains("shed_connections_above");
    });
  }

  @Test
  void aBurstBeyondHalfAsManyAgainIsRefusedAtTheAcceptorWhichNeverStops() throws Exception {
    ClientConnections connections = gw.gateway().services().metrics().connections();
    long acceptedBefore = connections.accepted();
    long refusedBefore = connections.refused();
    int total = 4 * connections.refuseAt();
    for (int i = 0; i < total; i++) {
      sockets.add(connect("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (connections.accepted() - acceptedBefore + connections.refused() - refusedBefore < total
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(connections.accepted() - acceptedBefore + connections.refused() - refusedBefore)
        .as("every connection was taken from the backlog").isEqualTo(total);
    assertThat(connections.refused() - refusedBefore).isPositive();
    assertThat(connections.open()).isLessThanOrEqualTo(connections.refuseAt());
    // the kept ones shed the oldest down to the threshold, and a new connection is served again
    awaitOpenConnectionsAtMost(SHED_ABOVE);
    assertThat(RawHttp.health(port)).startsWith("HTTP/1.1 200");
    assertThat(gw.get("/metrics").body()).contains("tracegate_connections_closed_total{reason=\"refused\"} ")
        .contains("tracegate_client_connections_accepted_total ");
  }

  /**
   * Connects, then waits until the gateway has taken the connection from its backlog and, when that put it
   * over the threshold, has shed what it had to.
   */
  private static Socket connectAccepted(String head) throws Exception {
    ClientConnections connections = gw.gateway().services().metrics().connections();
    long before = connections.accepted() + connections.refused();
    Socket s = connect(head);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((connections.accepted() + connections.refused() == before || connections.excess() > 0)
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return s;
  }

  private static Socket connect(String head) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private static boolean stillOpen(Socket s) throws IOException {
    return answerIfClosed(s) == null;
  }

  /**
   * Null when the gateway has not closed {@code s} (nothing to read for a moment, rather than end of stream);
   * else what it sent before closing (empty when nothing).
   */
  private static String answerIfClosed(Socket s) throws IOException {
    s.setSoTimeout(200);
    InputStream in = s.getInputStream();
    try {
      int b = in.read();
      if (b < 0) {
        return "";
      }
      s.setSoTimeout(10_000);
      return (char) b + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException quiet) {
      return null;
    } catch (IOException reset) {
      return "";
    }
  }

  private static void awaitOpenConnectionsAtMost(int n) throws InterruptedException {
    GatewayMetrics metrics = gw.gateway().services().metrics();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (metrics.clientConnections() > n && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(metrics.clientConnections()).as("open (excess %d)", metrics.connections().excess())
        .isLessThanOrEqualTo(n);
  }
}
