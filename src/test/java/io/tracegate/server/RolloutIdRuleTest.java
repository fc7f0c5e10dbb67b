package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.cli.Main;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rule for rollout and attempt ids on every path: taken verbatim, never trimmed; empty ones, ones that
 * begin or end with whitespace, and {@code .}/{@code ..} are refused the same way by the URL prefix, the
 * headers, the API's bodies, paths and query filters (400) and the CLI's options (usage error, exit 2).
 */
class RolloutIdRuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
      + "\"max_tokens\":4}";
  private static final String MESSAGES = "{\"model\":\"policy\",\"max_tokens\":4,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir static Path dir;
  static Path config;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    config = TestGateway.writeCapturingPolicyConfig(dir, "ids.db", "");
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void anIdWithALoneSurrogateIsRefusedRatherThanRecordedUnderAnotherName() throws Exception {
    // a JSON escape can carry half a surrogate pair; its UTF-8 form (and so its URL) would name another id
    String lone = "r\\ud800";
    assertRefused(gw.post("/api/rollouts", "{\"rollout_id\":\"" + lone + "\"}"), "rollout_id");
    assertRefused(gw.post("/api/rollouts", "{\"rollout_id\":\"fine2\",\"attempt_id\":\"" + lone + "\"}"),
        "attempt_id");
    assertRefused(gw.post("/api/rollouts/fine2/rewards", "{\"value\":1,\"attempt_id\":\"" + lone + "\"}"),
        "attempt_id");
    HttpResponse<String> pair = gw.post("/api/rollouts", "{\"rollout_id\":\"r\\ud83d\\ude00\"}");
    assertThat(pair.statusCode()).as(pair.body()).isEqualTo(201);
    assertThat(JSON.readTree(pair.body()).path("openai_base_url").asText()).contains("/rollout/r%F0%9F%98%80/");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {" r1 ", "r1 ", "\tr1", "   ", "", ".."})
  void anInvalidIdIsRefusedTheSameWayEverywhere(String bad) throws Exception {
    String body = JSON.createObjectNode().put("rollout_id", bad).toString();
    assertRefused(gw.post("/api/rollouts", body), "rollout_id");
    assertRefused(gw.post("/api/rollouts", JSON.createObjectNode().put("rollout_id", "fine")
        .put("attempt_id", bad).toString()), "attempt_id");
    assertThat(gw.get("/api/rollouts/fine").statusCode()).isEqualTo(404);
    assertRefused(gw.post("/api/rollouts/fine/rewards", JSON.createObjectNode().put("value", 1)
        .put("attempt_id", bad).toString()), "attempt_id");
    assertRefused(gw.post("/api/rollouts/fine/attempts", JSON.createObjectNode().put("attempt_id", bad)
        .toString()), "attempt_id");
    String query = URLEncoder.encode(bad, StandardCharsets.UTF_8);
    assertRefused(gw.get("/api/spans?rollout_id=" + query), "rollout_id");
    assertRefused(gw.get("/api/spans?attempt_id=" + query), "attempt_id");
    assertRefused(gw.get("/api/triplets?rollout_id=" + query), "rollout_id");
    assertRefused(gw.get("/api/triplets?attempt=" + query), "attempt");

    String segment = URLEncoder.encode(bad, StandardCharsets.UTF_8).replace("+", "%20");
    if (bad.isEmpty() || bad.equals("..")) {
      // no such path segment reaches a handler: an empty one, or a dot segment the URL normalisation removes
      assertThat(gw.post("/rollout/" + segment + "/attempt/1/v1/chat/completions", CHAT).statusCode())
          .isEqualTo(404);
    } else {
      assertRefused(gw.get("/api/rollouts/" + segment), "rollout_id");
      assertRefused(gw.post("/api/rollouts/" + segment + "/attempts", "{}"), "rollout_id");
      assertRefused(gw.post("/api/rollouts/" + segment + "/rewards", "{\"value\": 1}"), "rollout_id");
      assertRefused(gw.post("/rollout/" + segment + "/attempt/1/v1/chat/completions", CHAT), "rollout_id");
      HttpResponse<String> anthropic = gw.post("/rollout/fine/attempt/" + segment + "/v1/messages", MESSAGES);
      assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(400);
      assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(JSON.readTree(anthropic.body()).path("error").path("message").asText()).contains("'attempt_id'");
    }

    for (String[] args : List.of(
        new String[] {"reward", "--url", gw.gateway().baseUrl(), "--rollout", bad, "--value", "1"},
        new String[] {"reward", "--url", gw.gateway().baseUrl(), "--rollout", "fine", "--attempt", bad, "--value", "1"},
        new String[] {"spans", "--config", config.toString(), "--rollout", bad},
        new String[] {"spans", "--url", gw.gateway().baseUrl(), "--attempt", bad},
        new String[] {"rollouts", "--config", config.toString(), bad},
        new String[] {"export", "--config", config.toString(), "--out", dir.resolve("x.jsonl").toString(),
            "--rollout", bad},
        new String[] {"export", "--config", config.toString(), "--out", dir.resolve("x.jsonl").toString(),
            "--attempt", bad})) {
      Cli run = cli(args);
      assertThat(run.exit).as(String.join(" ", args) + "\n" + run.err).isEqualTo(2);
      assertThat(run.err).contains("Invalid value").contains("an id must not");
    }

    // nothing was recorded under the id, nor under a trimmed copy of it
    List<Span> all = gw.spans(null);
    assertThat(all).extracting(Span::rolloutId).doesNotContain(bad, bad.strip(), "fine");
    assertThat(all).extracting(Span::attemptId).doesNotContain(bad, bad.strip());
  }

  @Test
  void headersFollowTheSameRuleAfterHttpRemovedTheWhitespaceAroundTheirValue() throws Exception {
    assertRefused(gw.post("/v1/chat/completions", CHAT.replace("hi", "blank header"), RolloutScope.ROLLOUT_HEADER,
        "   "), "x-rollout-id");
    gw.flush();
    // answered like any failed call: one span, in no rollout, saying why
    assertThat(gw.spans(null)).filteredOn(s -> s.request().toString().contains("blank header"))
        .singleElement().satisfies(s -> {
          assertThat(s.rolloutId()).isNull();
          assertThat(s.status()).isEqualTo(Span.STATUS_ERROR);
          assertThat(s.statusMessage()).isEqualTo("'x-rollout-id' must not be empty (got \"\")");
        });
    assertRefused(gw.post("/v1/chat/completions", CHAT, RolloutScope.ROLLOUT_HEADER, "h1",
        RolloutScope.ATTEMPT_HEADER, " "), "x-attempt-id");
    // surrounding whitespace is not part of an HTTP header value (RFC 9110 5.5): it never reaches the gateway
    assertThat(gw.post("/v1/chat/completions", CHAT, RolloutScope.ROLLOUT_HEADER, "  h2  ").statusCode())
        .isEqualTo(200);
    assertThat(gw.awaitSpans("h2", 1)).extracting(Span::rolloutId).containsExactly("h2");

    // bytes outside ASCII have no agreed charset in a header (Latin-1? UTF-8?): refused, not recorded garbled
    String answer = rawPost("/v1/chat/completions", CHAT, "x-rollout-id: \u00e9t\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(answer).startsWith("HTTP/1.1 400").contains("'x-rollout-id' must be ASCII");
  }

  /** A request written byte by byte: HTTP clients refuse to send a header with non-ASCII bytes. */
  private static String rawPost(String path, String body, byte[] header) throws Exception {
    URI uri = URI.create(gw.url(path));
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      byte[] json = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + json.length + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(header);
      out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      socket.setSoTimeout(10_000);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aValidIdIsTakenVerbatimEverywhere() throws Exception {
    String id = "run 7/b+c";
    String attempt = "a 1";
    HttpResponse<String> created = gw.post("/api/rollouts",
        JSON.createObjectNode().put("rollout_id", id).put("attempt_id", attempt).toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String base = JSON.readTree(created.body()).path("openai_base_url").asText();
    assertThat(gw.post(base.substring(gw.url("").length()) + "/chat/completions", CHAT).statusCode()).isEqualTo(200);
    assertThat(gw.post("/v1/chat/completions", CHAT.replace("hi", "again"), RolloutScope.ROLLOUT_HEADER, id,
        RolloutScope.ATTEMPT_HEADER, attempt).statusCode()).isEqualTo(200);
    List<Span> calls = gw.awaitSpans(id, 2);
    assertThat(calls).extracting(Span::attemptId).containsExactly(attempt, attempt);

    Cli reward = cli("reward", "--url", gw.gateway().baseUrl(), "--rollout", id, "--attempt", attempt,
        "--value", "0.5");
    assertThat(reward.exit).as(reward.err).isZero();
    assertThat(gw.spans(id)).hasSize(3);

    Cli rollout = cli("rollouts", "--url", gw.gateway().baseUrl(), id, "--json");
    assertThat(rollout.exit).as(rollout.err).isZero();
    assertThat(JSON.readTree(rollout.out).path("rollout_id").asText()).isEqualTo(id);
    Cli spans = cli("spans", "--config", config.toString(), "--rollout", id, "--attempt", attempt, "--json");
    assertThat(spans.exit).as(spans.err).isZero();
    assertThat(spans.out.lines().map(RolloutIdRuleTest::rolloutOf).toList()).containsExactly(id, id, id);
    JsonNode filtered = JSON.readTree(gw.get("/api/spans?rollout_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
        + "&attempt_id=" + URLEncoder.encode(attempt, StandardCharsets.UTF_8)).body());
    assertThat(filtered.path("spans")).hasSize(3);
    Path out = dir.resolve("verbatim.jsonl");
    Cli export = cli("export", "--config", config.toString(), "--out", out.toString(), "--rollout", id,
        "--attempt", attempt);
    assertThat(export.exit).as(export.err).isZero();
    assertThat(Files.readAllLines(out)).hasSize(2).allSatisfy(l -> assertThat(rolloutOf(l)).isEqualTo(id));
  }

  private static String rolloutOf(String jsonLine) {
    try {
      return JSON.readTree(jsonLine).path("rollout_id").asText();
    } catch (Exception e) {
      throw new AssertionError(jsonLine, e);
    }
  }

  private static void assertRefused(HttpResponse<String> response, String field) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_request");
    assertThat(error.path("message").asText()).startsWith("'" + field + "' must not");
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Cli(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
