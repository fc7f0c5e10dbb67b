package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request whose body is still arriving when shutdown begins arrived before it: it may finish its upload and
 * its call within the grace period; one still uploading when the grace period ends is cut as
 * {@code cancelled: shutdown}, with its span, like a running call.
 */
class DrainUploadTest {
  private static final String BODY = "{\"model\":\"mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dir;

  @Test
  void anUploadUnderWayWhenShutdownBeginsIsServedWithinTheGracePeriod() throws Exception {
    String db = dir.resolve("spans.db").toString();
    TestGateway gw = start(db);
    try (Socket s = partialUpload(gw, "finishes")) {
      CompletableFuture<Void> closing = CompletableFuture.runAsync(gw::close);
      awaitDraining(gw);
      OutputStream out = s.getOutputStream();
      out.write(BODY.substring(BODY.length() / 2).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("chat.completion");
      closing.get(30, TimeUnit.SECONDS);
    }
    List<Span> spans = spans(db, "finishes");
    assertThat(spans).singleElement().satisfies(span -> assertThat(span.status()).isEqualTo(Span.STATUS_OK));
  }

  @Test
  void anUploadStillUnderWayWhenTheGracePeriodEndsIsCutAsShutdownWithItsSpan() throws Exception {
    String db = dir.resolve("spans.db").toString();
    TestGateway gw = start(db);
    try (Socket s = partialUpload(gw, "stalls")) {
      long started = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(gw::close);
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 503").contains("shutting down");
      // not cut before the grace period (2 s in TestGateway) was over
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1900));
      closing.get(30, TimeUnit.SECONDS);
    }
    List<Span> spans = spans(db, "stalls");
    assertThat(spans).singleElement().satisfies(span -> {
      assertThat(span.status()).isEqualTo(Span.STATUS_CANCELLED);
      assertThat(span.statusMessage()).isEqualTo(ProxyCall.SHUTDOWN);
    });
  }

  private static TestGateway start(String db) throws Exception {
    return TestGateway.start(TestGateway.config(StoreConfig.sqlite(db), 1 << 20,
        Map.of("mock-model", TestGateway.mock(Set.of()))));
  }

  /** Sends a proxy request's headers and the first half of its body, then waits until the gateway has them. */
  private static Socket partialUpload(TestGateway gw, String rollout) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", gw.gateway().port()), 10_000);
    s.setSoTimeout(30_000);
    String head = "POST /rollout/" + rollout + "/attempt/a/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
    s.getOutputStream().write((head + BODY.substring(0, BODY.length() / 2)).getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gw.gateway().services().drain().inFlight() == 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(gw.gateway().services().drain().inFlight()).isEqualTo(1);
    return s;
  }

  private static void awaitDraining(TestGateway gw) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!gw.gateway().services().drain().draining() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(gw.gateway().services().drain().draining()).isTrue();
  }

  private static List<Span> spans(String db, String rollout) throws Exception {
    try (SpanStore store = SpanStores.open(StoreConfig.sqlite(db), true)) {
      return store.query(SpanQuery.forRollout(rollout)).spans();
    }
  }
}
