package io.tracegate.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.tracegate.config.OtlpConfig;
import io.tracegate.config.TelemetryConfig;
import java.time.Duration;
import java.util.Map;

/** Builds the OTLP export a {@code telemetry:} section asks for (OTLP/HTTP with protobuf through the JDK's client). */
public final class OtlpExports {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final String SCOPE = "io.tracegate";
  /**
   * Three tries a batch, 1 s then 1.5 s apart (the SDK's default is five, up to 5 s apart): a collector that
   * restarts is waited for, a dead one costs a batch about 3 s, while newer spans wait in the bounded queue.
   */
  static final RetryPolicy RETRIES = RetryPolicy.builder().setMaxAttempts(3).setInitialBackoff(Duration.ofSeconds(1))
      .setMaxBackoff(Duration.ofSeconds(2)).setBackoffMultiplier(1.5).build();

  private OtlpExports() {}

  /** The running export, or null when {@code telemetry.otlp} is not configured. */
  public static OtlpSpanExport start(TelemetryConfig config) {
    OtlpConfig otlp = config.otlp();
    if (otlp == null) {
      return null;
    }
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        .setEndpoint(otlp.tracesUrl())
        .setTimeout(OtlpSpanExport.DEFAULT_EXPORT_TIMEOUT)
        .setRetryPolicy(RETRIES);
    for (Map.Entry<String, String> h : otlp.headers().entrySet()) {
      builder.addHeader(h.getKey(), h.getValue());
    }
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME,
        config.serviceName())));
    SpanMapping mapping = new SpanMapping(resource, InstrumentationScopeInfo.create(SCOPE),
        otlp.content() ? new ConversationContent() : null);
    return new OtlpSpanExport(builder.build(), mapping, otlp.tracesUrl(), OtlpSpanExport.DEFAULT_QUEUE_CAPACITY,
        OtlpSpanExport.DEFAULT_BATCH_SIZE, OtlpSpanExport.DEFAULT_DELAY, OtlpSpanExport.DEFAULT_EXPORT_TIMEOUT);
  }
}
