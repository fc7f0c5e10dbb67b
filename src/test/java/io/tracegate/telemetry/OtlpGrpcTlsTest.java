package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.telemetry.grpc.VertxGrpcSenderProvider;
import io.tracegate.testing.OtlpGrpcReceiver;
import io.tracegate.testing.OtlpReceiver;
import io.tracegate.trace.Span;
import io.tracegate.trace.SpanIds;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/gRPC over TLS ({@code https://} endpoint, ALPN h2) to grpc-java's server with a certificate made for
 * 127.0.0.1 by the JDK's keytool: spans arrive when the certificate is trusted, and are dropped, not sent,
 * when it is not (the server's certificate is really verified).
 */
class OtlpGrpcTlsTest {
  private static final char[] PASSWORD = "test-only".toCharArray();

  @TempDir static Path dir;
  private static KeyStore keys;
  private OtlpGrpcReceiver collector;

  @BeforeAll
  static void makeTheCollectorsCertificate() throws Exception {
    Path store = dir.resolve("collector.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "collector", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
  }

  @BeforeEach
  void start() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    collector = new OtlpGrpcReceiver(kmf.getKeyManagers()[0]);
  }

  @AfterEach
  void stop() throws Exception {
    collector.close();
  }

  private OtlpSpanExport export(boolean trustTheCollector) throws Exception {
    OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
        .setComponentLoader(VertxGrpcSenderProvider.componentLoader())
        .setEndpoint(collector.endpoint()).setTimeout(Duration.ofSeconds(10)).setRetryPolicy(OtlpExports.RETRIES)
        .addHeader("authorization", "Bearer tls-secret");
    if (trustTheCollector) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      builder.setSslContext(context, (X509TrustManager) tmf.getTrustManagers()[0]);
    }
    SpanMapping mapping = new SpanMapping(Resource.getDefault(), InstrumentationScopeInfo.create("test"), null);
    return new OtlpSpanExport(builder.build(), mapping, collector.endpoint(), 16, 4, Duration.ofMillis(10),
        Duration.ofSeconds(10));
  }

  private static Span reward(int i) {
    return RewardSpans.reward("tls", "1", i, "r", i, null, 1_000L * (i + 1), SpanIds.newTraceId(), null);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void spansReachATrustedCollectorOverTls() throws Exception {
    OtlpSpanExport export = export(true);
    List<Span> sent = List.of(reward(1), reward(2));
    export.accept(sent);
    List<OtlpReceiver.Received> received = collector.awaitSpans(2);
    assertThat(received).extracting(OtlpReceiver.Received::spanId)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(Span::spanId).toList());
    assertThat(received.get(0).headers().get("authorization")).isEqualTo("Bearer tls-secret");
    export.close(Duration.ofSeconds(10));
    assertThat(export.exported()).isEqualTo(2);
    assertThat(export.dropped()).isZero();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anUntrustedCertificateIsRefusedAndTheSpansDropped() throws Exception {
    OtlpSpanExport export = export(false);
    export.accept(List.of(reward(1)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (export.dropped() == 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    export.close(Duration.ofSeconds(5));
    assertThat(export.dropped()).isEqualTo(1);
    assertThat(export.exported()).isZero();
    assertThat(collector.calls()).as("no call got through the handshake").isZero();
  }
}
