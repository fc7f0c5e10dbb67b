package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves cancels the upstream call at once, whatever stage it is at, and its span says
 * {@code cancelled}. The backend's timeouts are a minute long, so only the cancellation can close the
 * upstream connection within the test's deadline.
 */
class ClientLeavesTest {
  private static final String CHAT = "/v1/chat/completions";
  private FakeOpenAiUpstream upstream;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    BackendConfig patient = TestGateway.withTimeouts(TestGateway.openAi(upstream.baseUrl(), "backend-model"),
        Duration.ofSeconds(60), Duration.ofSeconds(60));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20, Map.of("gpt-test", patient)));
  }

  @AfterEach
  void stop() throws Exception {
    upstream.releaseGate();
    gw.close();
    upstream.close();
  }

  private static String request(boolean stream) {
    return "{\"model\":\"gpt-test\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void leavingBeforeTheResponseHeadersResetsTheUpstreamCall() throws Exception {
    upstream.mode(FakeOpenAiUpstream.Mode.HANG); // the upstream is "thinking": no headers, ever
    try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(RawHttp.post("/rollout/leave-early/attempt/a" + CHAT, request(false)));
      out.flush();
      upstream.takeRequest();
      assertThat(upstream.closedConnections()).isZero();
    }
    RawHttp.await("the upstream connection is closed", 10, () -> upstream.closedConnections() == 1);
    Span s = gw.awaitSpans("leave-early", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).contains("client disconnected before the response");
  }

  @Test
  void leavingMidStreamResetsTheUpstreamAndKeepsWhatArrived() throws Exception {
    upstream.gateAfterFirstChunk(); // first chunk, then silence until released
    try (Socket client = new Socket("127.0.0.1", gw.gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(RawHttp.post("/rollout/leave-mid/attempt/a" + CHAT, request(true)));
      out.flush();
      RawHttp.readUntil(client, "\"role\":\"assistant\"");
      assertThat(upstream.closedConnections()).isZero();
    }
    RawHttp.await("the upstream connection is closed", 10, () -> upstream.closedConnections() == 1);
    Span s = gw.awaitSpans("leave-mid", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).contains("client disconnected");
    assertThat(s.response().path("choices").get(0).path("message").path("role").asText())
        .as("the span keeps what was received: %s", s.response()).isEqualTo("assistant");
    // and the call is over for everything that follows calls: shutdown's drain, the pause gate, the metrics
    RawHttp.await("no call in flight", 10, () -> gw.gateway().services().drain().inFlight() == 0
        && gw.gateway().services().pauseGate().inFlight() == 0);
  }
}
