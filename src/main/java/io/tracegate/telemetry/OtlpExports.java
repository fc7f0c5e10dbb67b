package io.tracegate.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracegate.config.OtlpConfig;
import io.tracegate.config.TelemetryConfig;
import io.tracegate.telemetry.grpc.VertxGrpcSenderProvider;
import java.time.Duration;

/**
 * Builds the OTLP export a {@code telemetry:} section asks for, with the OpenTelemetry SDK's exporters:
 * OTLP/HTTP with protobuf through the JDK's client, or OTLP/gRPC through {@link VertxGrpcSenderProvider}. Both
 * get the same timeout, retry policy and headers.
 */
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
    SpanExporter exporter = otlp.protocol() == OtlpConfig.Protocol.GRPC ? grpc(otlp) : http(otlp);
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME,
        config.serviceName())));
    SpanMapping mapping = new SpanMapping(resource, InstrumentationScopeInfo.create(SCOPE),
        otlp.content() ? new ConversationContent() : null);
    return new OtlpSpanExport(exporter, mapping, otlp.describe(), OtlpSpanExport.DEFAULT_QUEUE_CAPACITY,
        OtlpSpanExport.DEFAULT_BATCH_SIZE, OtlpSpanExport.DEFAULT_DELAY, OtlpSpanExport.DEFAULT_EXPORT_TIMEOUT);
  }

  private static SpanExporter http(OtlpConfig otlp) {
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        .setEndpoint(otlp.target())
        .setTimeout(OtlpSpanExport.DEFAULT_EXPORT_TIMEOUT)
        .setRetryPolicy(RETRIES);
    otlp.headers().forEach(builder::addHeader);
    return builder.build();
  }

  private static SpanExporter grpc(OtlpConfig otlp) {
    OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
        .setComponentLoader(VertxGrpcSenderProvider.componentLoader())
        .setEndpoint(otlp.target())
        .setTimeout(OtlpSpanExport.DEFAULT_EXPORT_TIMEOUT)
        .setRetryPolicy(RETRIES);
    otlp.headers().forEach(builder::addHeader);
    return builder.build();
  }
}
