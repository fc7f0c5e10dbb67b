package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code telemetry:} section: defaults, environment references in headers, and errors naming their key. */
class TelemetryConfigTest {
  @TempDir Path dir;

  private GatewayConfig load(String extra, Map<String, String> env) {
    return ConfigLoader.load(YamlFiles.write(dir, "tracegate.yaml", YamlFiles.minimal(extra)), env);
  }

  private void fails(String extra, String message) {
    assertThatThrownBy(() -> load(extra, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(dir.resolve("tracegate.yaml") + ": " + message);
  }

  @Test
  void noSectionOrNoOtlpKeyMeansNoExport() {
    assertThat(load("", Map.of()).telemetry().otlp()).isNull();
    TelemetryConfig named = load("telemetry: { service_name: agents-gw }", Map.of()).telemetry();
    assertThat(named.serviceName()).isEqualTo("agents-gw");
    assertThat(named.otlp()).isNull();
  }

  @Test
  void theIssuesExampleLoads() {
    TelemetryConfig t = load("""
        telemetry:
          service_name: tracegate
          otlp:
            endpoint: http://127.0.0.1:4318
            protocol: http/protobuf
            headers: { authorization: "${OTLP_AUTH:-}" }
            content: false
        """, Map.of("OTLP_AUTH", "Basic c2VjcmV0")).telemetry();
    assertThat(t.serviceName()).isEqualTo("tracegate");
    assertThat(t.otlp().target()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(t.otlp().headers()).containsExactly(Map.entry("authorization", "Basic c2VjcmV0"));
    assertThat(t.otlp().content()).isFalse();
    assertThat(t.otlp().toString()).doesNotContain("c2VjcmV0");
  }

  @Test
  void theCommentedOutExampleInTheShippedConfigIsValidOnceUncommented() throws IOException {
    List<String> block = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("conf/tracegate.yaml"))) {
      if (line.equals("# telemetry:") || (!block.isEmpty() && line.startsWith("#   "))) {
        block.add(line.substring(2));
      } else if (!block.isEmpty()) {
        break;
      }
    }
    assertThat(block).hasSizeGreaterThan(3);
    OtlpConfig otlp = load(String.join("\n", block), Map.of()).telemetry().otlp();
    assertThat(otlp.target()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(otlp.content()).isFalse();
  }

  @Test
  void defaultsAndEndpointForms() {
    OtlpConfig empty = load("telemetry: { otlp: {} }", Map.of()).telemetry().otlp();
    assertThat(empty.target()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(empty.headers()).isEmpty();
    assertThat(empty.content()).isFalse();
    // an optional header whose variable is unset is left out
    assertThat(load("telemetry: { otlp: { headers: { authorization: \"${OTLP_AUTH:-}\" } } }", Map.of())
        .telemetry().otlp().headers()).isEmpty();
    assertThat(load("telemetry: { otlp: { endpoint: \"https://cloud.langfuse.com/api/public/otel/\", content: true } }",
        Map.of()).telemetry().otlp()).extracting(OtlpConfig::target, OtlpConfig::content)
        .containsExactly("https://cloud.langfuse.com/api/public/otel/v1/traces", true);
    assertThat(load("telemetry: { otlp: { endpoint: \"http://collector:4318/v1/traces\" } }", Map.of())
        .telemetry().otlp().target()).isEqualTo("http://collector:4318/v1/traces");
  }

  @Test
  void grpcIsAcceptedWithItsOwnDefaultPortAndEndpointsWithoutPath() {
    OtlpConfig byDefault = load("telemetry: { otlp: { protocol: grpc } }", Map.of()).telemetry().otlp();
    assertThat(byDefault.protocol()).isEqualTo(OtlpConfig.Protocol.GRPC);
    assertThat(byDefault.target()).as("the OTLP/gRPC port, not 4318").isEqualTo("http://127.0.0.1:4317");
    OtlpConfig jaeger = load("""
        telemetry:
          otlp:
            endpoint: http://jaeger:4317/
            protocol: GRPC
            headers: { x-honeycomb-team: "${HONEYCOMB_KEY}" }
        """, Map.of("HONEYCOMB_KEY", "hc-secret")).telemetry().otlp();
    assertThat(jaeger.protocol()).isEqualTo(OtlpConfig.Protocol.GRPC);
    assertThat(jaeger.target()).as("no /v1/traces appended, trailing slash dropped").isEqualTo("http://jaeger:4317");
    assertThat(jaeger.headers()).containsExactly(Map.entry("x-honeycomb-team", "hc-secret"));
    assertThat(jaeger.toString()).contains("grpc").doesNotContain("hc-secret");
    // no port: the scheme's own (443 here), as the OpenTelemetry SDKs read OTEL_EXPORTER_OTLP_ENDPOINT
    assertThat(load("telemetry: { otlp: { protocol: grpc, endpoint: \"https://api.honeycomb.io\" } }", Map.of())
        .telemetry().otlp().target()).isEqualTo("https://api.honeycomb.io");
    assertThat(load("telemetry: { otlp: { protocol: http/protobuf } }", Map.of()).telemetry().otlp().protocol())
        .isEqualTo(OtlpConfig.Protocol.HTTP_PROTOBUF);
  }

  /** The first {@code yaml} block after {@code marker} in docs/observability.md. */
  private static String docBlock(String marker) throws IOException {
    String doc = Files.readString(Path.of("docs/observability.md"));
    int start = doc.indexOf("```yaml\n", doc.indexOf(marker)) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  @Test
  void theGrpcExamplesOfTheDocsLoad() throws IOException {
    OtlpConfig collector = load(docBlock("and in tracegate's:\n"), Map.of()).telemetry().otlp();
    assertThat(collector.protocol()).isEqualTo(OtlpConfig.Protocol.GRPC);
    assertThat(collector.target()).isEqualTo("http://127.0.0.1:4317");
    OtlpConfig honeycomb = load(docBlock("**Honeycomb**"), Map.of("HONEYCOMB_API_KEY", "hc-key")).telemetry().otlp();
    assertThat(honeycomb.target()).isEqualTo("https://api.honeycomb.io:443");
    assertThat(honeycomb.headers()).containsExactly(Map.entry("x-honeycomb-team", "hc-key"));
    String doc = Files.readString(Path.of("docs/observability.md"));
    String jaeger = "telemetry: { otlp: { protocol: grpc, endpoint: http://127.0.0.1:4317 } }";
    assertThat(doc).contains("`" + jaeger + "`");
    assertThat(load(jaeger, Map.of()).telemetry().otlp().target()).isEqualTo("http://127.0.0.1:4317");
  }

  @Test
  void errorsNameTheKey() {
    fails("telemetry: { otlp: { endpont: x } }",
        "telemetry.otlp.endpont: unknown key; allowed keys here: endpoint, protocol, headers, content");
    fails("telemetry: { servce_name: x }", "telemetry.servce_name: unknown key");
    fails("telemetry: { otlp: { endpoint: \"127.0.0.1:4318\" } }",
        "telemetry.otlp.endpoint: expected an http(s) URL");
    fails("telemetry: { otlp: { protocol: http/json } }",
        "telemetry.otlp.protocol: expected http/protobuf or grpc but was a string \"http/json\"");
    fails("telemetry: { otlp: { protocol: grpc, endpoint: \"http://collector:4317/v1/traces\" } }",
        "telemetry.otlp.endpoint: expected a gRPC endpoint without a path");
    fails("telemetry: { otlp: { protocol: grpc, endpoint: \"collector:4317\" } }",
        "telemetry.otlp.endpoint: expected an http(s) URL like http://127.0.0.1:4317");
    fails("telemetry: { otlp: { content: maybe } }", "telemetry.otlp.content: expected true or false");
    fails("telemetry: { otlp: { headers: { authorization: \"${OTLP_AUTH}\" } } }",
        "telemetry.otlp.headers.authorization: ");
    fails("telemetry: { otlp: { headers: { x-n: 5 } } }", "telemetry.otlp.headers.x-n: expected a string");
  }
}
