package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.OtlpConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.config.TelemetryConfig;
import io.tracegate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector that is not there: every request is answered and stored as usual, the spans that could not be
 * exported are counted in {@code tracegate_otlp_spans_dropped_total}, and the gateway still closes; over
 * OTLP/HTTP and OTLP/gRPC alike.
 */
class DeadCollectorTest {
  private static final String CHAT = "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi %d\"}]}";
  private static final int REQUESTS = 40;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(OtlpConfig.Protocol.class)
  void requestsAreUnaffectedAndTheLostSpansAreCounted(OtlpConfig.Protocol protocol) throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    Map<String, BackendConfig> models = Map.of("policy", TestGateway.mock(Set.of()));
    String dead = "http://127.0.0.1:" + deadPort;
    TelemetryConfig telemetry = new TelemetryConfig("tracegate", protocol == OtlpConfig.Protocol.GRPC
        ? OtlpConfig.grpc(dead, Map.of(), true) : new OtlpConfig(OtlpConfig.tracesUrl(dead), Map.of(), true));
    try (TestGateway gw = TestGateway.start(TestGateway.config(
        StoreConfig.sqlite(dir.resolve("dead.db").toString()), 1 << 20, models).withTelemetry(telemetry))) {
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> r = gw.post("/rollout/dead/attempt/1/v1/chat/completions", CHAT.formatted(i));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      assertThat(gw.spans("dead")).hasSize(REQUESTS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (gw.metric("tracegate_otlp_spans_dropped_total") < REQUESTS && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      assertThat(gw.metric("tracegate_otlp_spans_dropped_total")).isEqualTo(REQUESTS);
      assertThat(gw.metric("tracegate_otlp_spans_exported_total")).isZero();
      assertThat(gw.metric("tracegate_requests_answered_total")).isEqualTo(REQUESTS);
    }
  }
}
