package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.OtlpConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.config.TelemetryConfig;
import io.tracegate.testing.OtlpGrpcReceiver;
import io.tracegate.testing.OtlpReceiver;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the OTLP/gRPC export reads the collector's gRPC status (grpc-java's server as the collector): a retryable
 * status (UNAVAILABLE, a collector restarting) is retried with the export's policy until the collector accepts,
 * and at most three tries a batch; a status that is not retryable drops the batch at once, and the next batch
 * goes through; a collector that never answers costs its spans, not the gateway's shutdown. A proxy answering
 * HTTP statuses without {@code grpc-status} is read with gRPC's HTTP-to-status mapping (503 retried, 404 not).
 */
class OtlpGrpcStatusTest {
  private static final String CHAT = "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi %d\"}]}";

  @TempDir Path dir;
  private OtlpGrpcReceiver collector;
  private TestGateway gw;
  private Vertx proxy;

  @BeforeEach
  void startCollector() throws Exception {
    collector = new OtlpGrpcReceiver();
  }

  private void startGateway(String otlpEndpoint) throws Exception {
    Map<String, BackendConfig> models = Map.of("policy", TestGateway.mock(Set.of()));
    TelemetryConfig telemetry = new TelemetryConfig("tracegate", OtlpConfig.grpc(otlpEndpoint, Map.of(), false));
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("grpc.db").toString()), 1 << 20,
        models).withTelemetry(telemetry));
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (collector != null) {
      collector.close();
    }
    if (proxy != null) {
      proxy.close().await(10, TimeUnit.SECONDS);
    }
  }

  private Span call(String rollout, int i) throws Exception {
    HttpResponse<String> r = gw.post("/rollout/" + rollout + "/attempt/1/v1/chat/completions", CHAT.formatted(i));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return gw.awaitSpans(rollout, 1).get(0);
  }

  private void awaitMetric(String name, long value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gw.metric(name) < value && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertThat(gw.metric(name)).as(name).isEqualTo(value);
  }

  @Test
  void aCollectorAnsweringUnavailableIsRetriedUntilItAccepts() throws Exception {
    startGateway(collector.endpoint());
    collector.failNext(Status.UNAVAILABLE.withDescription("collector restarting"), 2);
    Span stored = call("unavailable", 1);

    List<OtlpReceiver.Received> exported = collector.awaitSpans(1);
    assertThat(exported).extracting(OtlpReceiver.Received::spanId).containsExactly(stored.spanId());
    assertThat(collector.calls()).as("two UNAVAILABLE answers, then the accepted try").isEqualTo(3);
    awaitMetric("tracegate_otlp_spans_exported_total", 1);
    assertThat(gw.metric("tracegate_otlp_spans_dropped_total")).isZero();
  }

  @Test
  void aCollectorStillUnavailableAfterThreeTriesCostsTheBatch() throws Exception {
    startGateway(collector.endpoint());
    collector.failNext(Status.UNAVAILABLE, 3);
    call("down", 1);

    awaitMetric("tracegate_otlp_spans_dropped_total", 1);
    assertThat(collector.calls()).as("three tries a batch").isEqualTo(3);
    assertThat(collector.spans()).isEmpty();
    assertThat(gw.metric("tracegate_otlp_spans_exported_total")).isZero();
  }

  @Test
  void aStatusThatIsNotRetryableDropsTheBatchAtOnceAndTheNextGoesThrough() throws Exception {
    startGateway(collector.endpoint());
    collector.failNext(Status.INVALID_ARGUMENT.withDescription("bad spans"), 1);
    call("rejected", 1);
    awaitMetric("tracegate_otlp_spans_dropped_total", 1);
    assertThat(collector.calls()).as("not retried").isEqualTo(1);

    Span next = call("accepted", 2);
    assertThat(collector.awaitSpans(1)).extracting(OtlpReceiver.Received::spanId).containsExactly(next.spanId());
    awaitMetric("tracegate_otlp_spans_exported_total", 1);
    assertThat(collector.calls()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aCollectorThatNeverAnswersCostsItsSpansAndTheGatewayStillClosesWithinTheBound() throws Exception {
    startGateway(collector.endpoint());
    collector.holdAnswers();
    call("hung", 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (collector.calls() == 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // the batch is on its way
    }
    assertThat(collector.calls()).isEqualTo(1);
    gw.close(); // the export waits for the held call at most the shutdown bound, then counts the span dropped
    assertThat(gw.gateway().otlpSummary()).isEqualTo("; OTLP spans exported 0, dropped 1");
  }

  /** A plain HTTP/2 server on the gRPC port (a proxy, a load balancer) answering with HTTP statuses only. */
  private AtomicInteger proxyAnswering(int httpStatus) throws Exception {
    proxy = Vertx.vertx();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = proxy.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
        .requestHandler(req -> {
          requests.incrementAndGet();
          req.body().onComplete(b -> req.response().setStatusCode(httpStatus).end("no gRPC here"));
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    startGateway("http://127.0.0.1:" + server.actualPort());
    return requests;
  }

  @Test
  void anHttp503WithoutGrpcStatusIsUnavailableAndRetried() throws Exception {
    AtomicInteger requests = proxyAnswering(503);
    call("proxy-503", 1);
    awaitMetric("tracegate_otlp_spans_dropped_total", 1);
    assertThat(requests.get()).as("503 maps to UNAVAILABLE: three tries").isEqualTo(3);
  }

  @Test
  void anHttp404WithoutGrpcStatusIsUnimplementedAndNotRetried() throws Exception {
    AtomicInteger requests = proxyAnswering(404);
    call("proxy-404", 1);
    awaitMetric("tracegate_otlp_spans_dropped_total", 1);
    assertThat(requests.get()).as("404 maps to UNIMPLEMENTED: one try").isEqualTo(1);
  }
}
