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
    OtlpConfig.Protocol protocol = protocol(n.get("protocol"));
    boolean grpc = protocol == OtlpConfig.Protocol.GRPC;
    YamlNode endpoint = n.get("endpoint");
    String url;
    if (endpoint.isAbsent()) {
      url = grpc ? OtlpConfig.DEFAULT_GRPC_ENDPOINT : OtlpConfig.DEFAULT_ENDPOINT;
    } else {
      url = endpoint(endpoint, env, grpc);
    }
    YamlNode content = n.get("content");
    if (!content.isAbsent() && !content.isBoolean()) {
      throw content.error("expected true or false but was " + content.describe());
    }
    return new OtlpConfig(protocol, grpc ? url : OtlpConfig.tracesUrl(url), headers(n.get("headers"), env),
        !content.isAbsent() && content.booleanValue());
  }

  private static OtlpConfig.Protocol protocol(YamlNode n) {
    if (n.isAbsent()) {
      return OtlpConfig.Protocol.HTTP_PROTOBUF;
    }
    String p = n.string().strip().toLowerCase(Locale.ROOT);
    for (OtlpConfig.Protocol known : OtlpConfig.Protocol.values()) {
      if (known.configName().equals(p)) {
        return known;
      }
    }
    throw n.error("expected http/protobuf or grpc but was " + n.describe());
  }

  /** An http(s) URL; for gRPC without a path (the method names the service), returned without a trailing slash. */
  private static String endpoint(YamlNode n, EnvRefs env, boolean grpc) {
    String url = env.expand(n).strip();
    String example = grpc ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318";
    String problem = null;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problem = "expected an http(s) URL like " + example;
      } else if (uri.getHost() == null) {
        problem = "expected an http(s) URL with a host, like " + example;
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        problem = "expected a URL without query or fragment";
      } else if (grpc && uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
        problem = "expected a gRPC endpoint without a path (scheme, host and port, like " + example
            + "; /v1/traces belongs to http/protobuf)";
      }
    } catch (URISyntaxException e) {
      problem = "expected an http(s) URL like " + example + " (" + e.getReason() + ")";
    }
    if (problem != null) {
      throw n.error(problem + " but was " + YamlNode.quote(url));
    }
    return grpc && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
