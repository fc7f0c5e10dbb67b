package io.tracegate.config;

import java.util.Map;

/**
 * The {@code telemetry.otlp:} section: OTLP export of every recorded span.
 *
 * @param tracesUrl the full URL spans are POSTed to: the configured {@code endpoint} with {@code /v1/traces}
 *     appended unless it already ends so (as the OpenTelemetry SDKs treat {@code OTEL_EXPORTER_OTLP_ENDPOINT})
 * @param headers sent with every export (e.g. {@code authorization}); values resolved from the environment at
 *     load, headers whose value came out empty are left out. Never printed.
 * @param content whether spans carry the conversation ({@code gen_ai.input.messages},
 *     {@code gen_ai.output.messages}, {@code gen_ai.system_instructions}); off by default, as the GenAI
 *     conventions ask, since prompts may hold personal data
 */
public record OtlpConfig(String tracesUrl, Map<String, String> headers, boolean content) {
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";
  public static final String TRACES_PATH = "/v1/traces";

  public OtlpConfig {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** The traces URL for an OTLP/HTTP {@code endpoint} (a base URL, or already the traces URL). */
  public static String tracesUrl(String endpoint) {
    String base = endpoint.strip();
    if (base.endsWith(TRACES_PATH)) {
      return base;
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + TRACES_PATH;
  }

  @Override
  public String toString() {
    return "OtlpConfig[tracesUrl=" + tracesUrl + ", headers=" + headers.keySet() + ", content=" + content + "]";
  }
}
