package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page the user visits can do to a gateway on 127.0.0.1: a cross-site form or fetch (text/plain, no
 * preflight) and DNS rebinding (a foreign Host). Refused before anything is read, stored or sent upstream; SDKs,
 * curl and agents (no Origin header) are unaffected.
 */
class BrowserOriginTest {
  private static final String EVIL = "http://evil.example";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ScriptedUpstream upstream;
  private TestGateway gw;

  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    upstream = new ScriptedUpstream();
    gw = TestGateway.start(config(AccessConfig.defaults().withCorsOrigins(List.of("http://app.example:3000"))
        .withAllowedHosts(List.of("gateway.internal"))));
  }

  private GatewayConfig config(AccessConfig access) {
    return TestGateway.config(StoreConfig.sqlite(dir.resolve("t.db").toString()), 1 << 20,
        Map.of("gpt-4o", TestGateway.openAi(upstream.openAiBaseUrl(), "gpt-4o"))).withAccess(access);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  private HttpResponse<String> post(String path, String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(30))
        .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void crossOriginTextPlainRewardIsRefusedAndNothingIsStored() throws Exception {
    assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"R\"}").statusCode()).isEqualTo(201);
    String originRefused = "tracegate_requests_refused_total{reason=\"origin_not_allowed\"}";
    String notJson = "tracegate_requests_refused_total{reason=\"unsupported_media_type\"}";
    long originBefore = gw.metric(originRefused);
    long notJsonBefore = gw.metric(notJson);

    HttpResponse<String> forged = post("/api/rollouts/R/rewards", "text/plain", "{\"value\":1}", "origin", EVIL);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(forged.body()).getJsonObject("error").getString("code")).isEqualTo("origin_not_allowed");
    // the same page's JSON (which would need a preflight the gateway never allows) fares no better
    assertThat(post("/api/rollouts/R/rewards", "application/json", "{\"value\":1}", "origin", EVIL).statusCode())
        .isEqualTo(403);
    // without an Origin, a text/plain body is still not JSON to a JSON endpoint
    HttpResponse<String> plain = post("/api/rollouts/R/rewards", "text/plain", "{\"value\":1}");
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(new JsonObject(plain.body()).getJsonObject("error").getString("code"))
        .isEqualTo("unsupported_media_type");
    assertThat(gw.spans("R")).as("no reward stored").isEmpty();
    // they have no span, so /metrics counts them
    assertThat(gw.metric(originRefused) - originBefore).isEqualTo(2);
    assertThat(gw.metric(notJson) - notJsonBefore).isEqualTo(1);

    // an SDK or curl (no Origin, JSON) is unaffected
    assertThat(gw.post("/api/rollouts/R/rewards", "{\"value\":1}").statusCode()).isEqualTo(201);
    assertThat(gw.spans("R")).hasSize(1);
  }

  @Test
  void crossOriginChatIsRefusedInEachProtocolsShapeAndNeverSentUpstream() throws Exception {
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> openAi = post("/v1/chat/completions", "text/plain", chat, "origin", EVIL);
    assertThat(openAi.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(openAi.body()).getJsonObject("error").getString("code"))
        .isEqualTo("origin_not_allowed");
    HttpResponse<String> anthropic = post("/rollout/R2/attempt/1/v1/messages", "text/plain",
        "{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "origin", EVIL);
    assertThat(anthropic.statusCode()).isEqualTo(403);
    JsonObject error = new JsonObject(anthropic.body());
    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getJsonObject("error").getString("type")).isEqualTo("permission_error");
    assertThat(post("/v1/chat/completions", "text/plain", chat).statusCode()).isEqualTo(415);

    gw.flush();
    assertThat(upstream.hits()).as("nothing sent upstream").isZero();
    assertThat(gw.spans(null)).as("nothing stored").isEmpty();

    assertThat(gw.post("/v1/chat/completions", chat).statusCode()).isEqualTo(200);
    assertThat(upstream.hits()).isEqualTo(1);
  }

  @Test
  void aForeignHostIsRefusedAndTheGatewaysOwnNamesAreNot() throws Exception {
    int port = gw.gateway().port();
    // DNS rebinding: a page at evil.example:port whose name now resolves to 127.0.0.1
    assertThat(rawGet(port, "evil.example:" + port)).startsWith("HTTP/1.1 403").contains("host_not_allowed");
    assertThat(rawPost(port, "evil.example:" + port, "/api/rollouts/R/rewards")).startsWith("HTTP/1.1 403");
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "gateway.internal",
        "GATEWAY.INTERNAL:" + port, "10.1.2.3:" + port)) {
      assertThat(rawGet(port, host)).as("Host %s", host).startsWith("HTTP/1.1 200");
    }
    gw.flush();
    assertThat(gw.spans("R")).isEmpty();
  }

  @Test
  void anyHostWhenConfiguredSo() throws Exception {
    gw.close();
    gw = TestGateway.start(config(AccessConfig.defaults().withAllowedHosts(List.of(AccessConfig.ANY_HOST))));
    int port = gw.gateway().port();
    assertThat(rawGet(port, "llm-gateway.corp.example")).startsWith("HTTP/1.1 200");
  }

  @Test
  void allowedOriginsAndTheGatewaysOwnPagesGetThrough() throws Exception {
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> allowed = post("/v1/chat/completions", "application/json", chat,
        "origin", "http://app.example:3000");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("http://app.example:3000");
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("origin", "http://app.example:3000")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,authorization").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isBetween(200, 204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("http://app.example:3000");
    // a page served by the gateway itself (the trace UI) is same-origin
    String self = "http://127.0.0.1:" + gw.gateway().port();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(gw.url("/api/spans"))).header("origin", self).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  private static String rawGet(int port, String host) throws IOException {
    return raw(port, "GET /api/spans HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  private static String rawPost(int port, String host, String path) throws IOException {
    String body = "{\"value\":1}";
    return raw(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  private static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
