package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.tracegate.config.OtlpConfig;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.testing.OtlpReceiver;
import io.tracegate.trace.Span;
import io.tracegate.trace.SpanIds;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The export's bounded queue and shutdown bound, against a real OTLP/HTTP collector that can hold its answers:
 * what does not fit is dropped and counted at once, and close() returns with every span counted as exported or
 * dropped even when the collector never answers.
 */
class OtlpSpanExportTest {
  private OtlpReceiver collector;

  @BeforeEach
  void start() throws Exception {
    collector = new OtlpReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    collector.close();
  }

  private OtlpSpanExport export(int queueCapacity, int batchSize) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(OtlpConfig.tracesUrl(collector.endpoint())).setTimeout(Duration.ofSeconds(10))
        .setRetryPolicy(OtlpExports.RETRIES).build();
    SpanMapping mapping = new SpanMapping(Resource.getDefault(), InstrumentationScopeInfo.create("test"), null);
    return new OtlpSpanExport(exporter, mapping, collector.endpoint(), queueCapacity, batchSize,
        Duration.ofMillis(10), Duration.ofSeconds(10));
  }

  private static Span reward(int i) {
    return RewardSpans.reward("queue", "1", i, "r", i, null, 1_000L * (i + 1), SpanIds.newTraceId(), null);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    collector.holdAnswers();
    OtlpSpanExport export = export(4, 2);
    int total = 20;
    for (int i = 0; i < total; i++) {
      export.accept(List.of(reward(i)));
    }
    // at most 4 queued plus one batch of 2 held at the collector: the rest is dropped right away
    assertThat(export.dropped()).isGreaterThanOrEqualTo(total - 6);
    collector.release();
    export.close(Duration.ofSeconds(20));
    assertThat(export.exported() + export.dropped()).isEqualTo(total);
    assertThat(export.exported()).isPositive().isEqualTo(collector.spans().size());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void closeReturnsWithinItsBoundWhenTheCollectorNeverAnswers() throws Exception {
    collector.holdAnswers();
    OtlpSpanExport export = export(16, 2);
    for (int i = 0; i < 6; i++) {
      export.accept(List.of(reward(i)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (collector.requests() == 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10); // the first batch is on its way
    }
    export.close(Duration.ofMillis(300));
    assertThat(export.exported()).isZero();
    assertThat(export.dropped()).isEqualTo(6);
    export.accept(List.of(reward(7)));
    assertThat(export.dropped()).as("closed: new spans are dropped").isEqualTo(7);
  }
}
