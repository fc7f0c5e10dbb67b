package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.cli.Main;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny cost and a tiny reward appear as plain decimals ({@code 0.00000018}, never {@code 1.8E-7}) in the raw
 * text of every API answer and of the CLI's JSON output and JSONL export.
 */
class PlainDecimalOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A JSON number token in exponent notation (strings such as hex span ids are quoted, so never match). */
  private static final Pattern EXPONENT_NUMBER = Pattern.compile("[:,\\[]-?\\d+(\\.\\d+)?[eE][-+]?\\d+");
  private static final String ROLLOUT = "tiny";
  private static final double REWARD = 1.0e-7;
  @TempDir static Path dir;
  static Path config;
  static TestGateway gw;
  static Span call;

  @BeforeAll
  static void start() throws Exception {
    // cheap enough that one call costs well under 0.001 USD, which Double.toString writes as 1.8E-7 etc.
    Files.writeString(dir.resolve("pricing.yaml"), "models:\n  policy: { input: 0.01, output: 0.02 }\n");
    config = TestGateway.writeCapturingPolicyConfig(dir, "numbers.db", "", "pricing: " + dir.resolve("pricing.yaml"));
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));
    assertThat(gw.post("/rollout/" + ROLLOUT + "/attempt/1/v1/chat/completions",
        "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}").statusCode())
        .isEqualTo(200);
    call = gw.awaitSpans(ROLLOUT, 1).get(0);
    assertThat(call.costUsd()).isPositive().isLessThan(1e-3);
    assertThat(Double.toString(call.costUsd())).contains("E-");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  /** {@code "field":N} is in {@code text} with N plain digits worth {@code value}; no number has an exponent. */
  private static void assertPlain(String text, String field, double value) {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9]+\\.?[0-9]*)[,}\\]]").matcher(text);
    assertThat(m.find()).as("plain %s in %s", field, text).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isEqualTo(value);
    assertThat(EXPONENT_NUMBER.matcher(text).find()).as(text).isFalse();
  }

  @Test
  void apiAnswersWriteCostsAndRewardsAsPlainDecimals() throws Exception {
    HttpResponse<String> reward = gw.post("/api/rollouts/" + ROLLOUT + "/rewards",
        "{\"value\": " + REWARD + ", \"name\": \"api\"}");
    assertThat(reward.statusCode()).as(reward.body()).isEqualTo(201);
    assertPlain(reward.body(), "value", REWARD);

    double cost = call.costUsd();
    assertPlain(gw.get("/api/rollouts").body(), "cost_usd", cost);
    assertPlain(gw.get("/api/rollouts/" + ROLLOUT).body(), "cost_usd", cost);
    assertPlain(gw.get("/api/spans?rollout_id=" + ROLLOUT + "&kind=llm").body(), "cost_usd", cost);
    assertPlain(gw.get("/api/spans/" + call.spanId()).body(), "cost_usd", cost);
    String triplets = gw.get("/api/triplets?rollout_id=" + ROLLOUT).body();
    double tripletReward = JSON.readTree(triplets).path("reward").asDouble();
    assertThat(tripletReward).isPositive().isLessThan(1e-3);
    assertPlain(triplets, "reward", tripletReward);
  }

  @Test
  void cliJsonAndJsonlExportWriteThemAsPlainDecimals() throws Exception {
    String reward = cli("reward", "--url", gw.gateway().baseUrl(), "--rollout", ROLLOUT, "--value", "2.5e-8",
        "--name", "cli", "--json");
    assertPlain(reward, "value", 2.5e-8);
    assertThat(cli("reward", "--url", gw.gateway().baseUrl(), "--rollout", ROLLOUT, "--value", "3e-9",
        "--name", "human")).contains("human=0.000000003 ");

    double cost = call.costUsd();
    assertPlain(cli("rollouts", "--url", gw.gateway().baseUrl(), "--json"), "cost_usd", cost);
    assertPlain(cli("rollouts", "--config", config.toString(), ROLLOUT, "--json"), "cost_usd", cost);
    assertPlain(cli("spans", "--config", config.toString(), "--rollout", ROLLOUT, "--kind", "llm", "--json"),
        "cost_usd", cost);
    assertPlain(cli("spans", "--url", gw.gateway().baseUrl(), "--rollout", ROLLOUT, "--kind", "llm", "--json"),
        "cost_usd", cost);

    Path out = dir.resolve("tiny.jsonl");
    cli("export", "--config", config.toString(), "--out", out.toString(), "--rollout", ROLLOUT,
        "--reward-mode", "last");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1);
    JsonNode triplet = JSON.readTree(lines.get(0));
    assertThat(triplet.path("reward").asDouble()).isPositive().isLessThan(1e-3);
    assertPlain(lines.get(0), "reward", triplet.path("reward").asDouble());
  }

  private static String cli(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
      return o.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }
}
