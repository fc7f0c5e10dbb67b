package io.tracegate.config;

/**
 * The {@code telemetry:} section: what the gateway reports about itself to an observability stack.
 *
 * @param serviceName the OpenTelemetry {@code service.name} of the exported spans
 * @param otlp where recorded spans are exported over OTLP; null (the section or its {@code otlp:} key absent):
 *     no export
 */
public record TelemetryConfig(String serviceName, OtlpConfig otlp) {
  public static final String DEFAULT_SERVICE_NAME = "tracegate";

  public TelemetryConfig {
    serviceName = serviceName == null || serviceName.isBlank() ? DEFAULT_SERVICE_NAME : serviceName;
  }

  /** No export: what a config without {@code telemetry:} means. */
  public static TelemetryConfig defaults() {
    return new TelemetryConfig(DEFAULT_SERVICE_NAME, null);
  }

  public TelemetryConfig withOtlp(OtlpConfig newOtlp) {
    return new TelemetryConfig(serviceName, newOtlp);
  }
}
