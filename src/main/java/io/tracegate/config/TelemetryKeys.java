package io.tracegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code telemetry:} section (docs/config.md, "telemetry"). */
final class TelemetryKeys {
  private static final List<String> TELEMETRY_KEYS = List.of("service_name", "otlp");
  private static final List<String> OTLP_KEYS = List.of("endpoint", "protocol", "headers", "content");
  static final String HTTP_PROTOBUF = "http/protobuf";
  static final String GRPC = "grpc";

  private TelemetryKeys() {}

  static TelemetryConfig telemetry(YamlNode n, EnvRefs env) {
    if (n.isAbsent()) {
      return TelemetryConfig.defaults();
    }
    n.mapping(TELEMETRY_KEYS);
    YamlNode name = n.get("service_name");
    String serviceName = name.isAbsent() ? TelemetryConfig.DEFAULT_SERVICE_NAME : env.expand(name).strip();
    if (serviceName.isEmpty()) {
      throw name.error("expected a non-empty service name");
    }
    return new TelemetryConfig(serviceName, otlp(n.get("otlp"), env));
  }

  private static OtlpConfig otlp(YamlNode n, EnvRefs env) {
    if (n.isAbsent()) {
      return null;
    }
    n.mapping(OTLP_KEYS);
    YamlNode protocol = n.get("protocol");
    String p = protocol.isAbsent() ? HTTP_PROTOBUF : protocol.string().strip().toLowerCase(Locale.ROOT);
    if (p.equals(GRPC)) {
      // the OTLP exporter's gRPC transport needs OkHttp or grpc-java, which tracegate keeps off its classpath
      throw protocol.error("grpc is not supported by this build (its gRPC transport is not bundled); use "
          + "http/protobuf with the collector's OTLP/HTTP port (4318), which the OpenTelemetry Collector, Jaeger, "
          + "Tempo and Langfuse all accept");
    }
    if (!p.equals(HTTP_PROTOBUF)) {
      throw protocol.error("expected http/protobuf but was " + protocol.describe());
    }
    YamlNode endpoint = n.get("endpoint");
    String url = endpoint.isAbsent() ? OtlpConfig.DEFAULT_ENDPOINT : endpoint(endpoint, env);
    YamlNode content = n.get("content");
    if (!content.isAbsent() && !content.isBoolean()) {
      throw content.error("expected true or false but was " + content.describe());
    }
    return new OtlpConfig(OtlpConfig.tracesUrl(url), headers(n.get("headers"), env),
        !content.isAbsent() && content.booleanValue());
  }

  private static String endpoint(YamlNode n, EnvRefs env) {
    String url = env.expand(n).strip();
    String problem = null;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problem = "expected an http(s) URL like http://127.0.0.1:4318";
      } else if (uri.getHost() == null) {
        problem = "expected an http(s) URL with a host, like http://127.0.0.1:4318";
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        problem = "expected a URL without query or fragment";
      }
    } catch (URISyntaxException e) {
      problem = "expected an http(s) URL like http://127.0.0.1:4318 (" + e.getReason() + ")";
    }
    if (problem != null) {
      throw n.error(problem + " but was " + YamlNode.quote(url));
    }
    return url;
  }

  /** Header name to value; values may reference the environment; a value that comes out empty is left out. */
  private static Map<String, String> headers(YamlNode n, EnvRefs env) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isAbsent()) {
      return out;
    }
    for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
      YamlNode v = e.getValue();
      if (!v.isTextual()) {
        throw v.error("expected a string (e.g. \"${OTLP_AUTH:-}\") but was " + v.describe());
      }
      String value = env.expand(v).strip();
      if (!value.isEmpty()) {
        out.put(e.getKey().toLowerCase(Locale.ROOT), value);
      }
    }
    return out;
  }
}
