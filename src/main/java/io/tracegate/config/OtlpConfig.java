package io.tracegate.config;

import java.util.Map;

/**
 * The {@code telemetry.otlp:} section: OTLP export of every recorded span.
 *
 * @param protocol how spans travel: OTLP/HTTP with protobuf bodies, or OTLP/gRPC
 * @param target where spans go. For {@link Protocol#HTTP_PROTOBUF} the full URL spans are POSTed to: the
 *     configured {@code endpoint} with {@code /v1/traces} appended unless it already ends so (as the OpenTelemetry
 *     SDKs treat {@code OTEL_EXPORTER_OTLP_ENDPOINT}). For {@link Protocol#GRPC} the collector's address,
 *     {@code scheme://host[:port]} (no path: the gRPC method names the service)
 * @param headers sent with every export (e.g. {@code authorization}; gRPC metadata with {@code grpc}); values
 *     resolved from the environment at load, headers whose value came out empty are left out. Never printed.
 * @param content whether spans carry the conversation ({@code gen_ai.input.messages},
 *     {@code gen_ai.output.messages}, {@code gen_ai.system_instructions}); off by default, as the GenAI
 *     conventions ask, since prompts may hold personal data
 */
public record OtlpConfig(Protocol protocol, String target, Map<String, String> headers, boolean content) {
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";
  public static final String DEFAULT_GRPC_ENDPOINT = "http://127.0.0.1:4317";
  public static final String TRACES_PATH = "/v1/traces";

  /** The OTLP transports, by their {@code OTEL_EXPORTER_OTLP_PROTOCOL} names. */
  public enum Protocol {
    HTTP_PROTOBUF("http/protobuf"),
    GRPC("grpc");

    private final String configName;

    Protocol(String configName) {
      this.configName = configName;
    }

    /** The name used in {@code telemetry.otlp.protocol}. */
    public String configName() {
      return configName;
    }
  }

  public OtlpConfig {
    protocol = protocol == null ? Protocol.HTTP_PROTOBUF : protocol;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** OTLP/HTTP to {@code tracesUrl}. */
  public OtlpConfig(String tracesUrl, Map<String, String> headers, boolean content) {
    this(Protocol.HTTP_PROTOBUF, tracesUrl, headers, content);
  }

  /** OTLP/gRPC to the collector at {@code endpoint} ({@code http://host:port} or {@code https://host[:port]}). */
  public static OtlpConfig grpc(String endpoint, Map<String, String> headers, boolean content) {
    return new OtlpConfig(Protocol.GRPC, endpoint, headers, content);
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

  /** What a log line says about the export: {@code "http://c:4318/v1/traces"} or {@code "grpc http://c:4317"}. */
  public String describe() {
    return protocol == Protocol.GRPC ? "grpc " + target : target;
  }

  @Override
  public String toString() {
    return "OtlpConfig[protocol=" + protocol.configName() + ", target=" + target + ", headers=" + headers.keySet()
        + ", content=" + content + "]";
  }
}
