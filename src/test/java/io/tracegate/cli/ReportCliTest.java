package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.CacheUsageUpstream;
import io.tracegate.testing.CacheUsageUpstream.Usage;
import io.tracegate.testing.TestGateway;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token economics end to end: an Anthropic-shaped upstream reports known usage (cache reads, 5m and 1h writes) for
 * two tagged experiments run through a real gateway (SQLite file, shipped prices); the report, read over HTTP and
 * by the CLI as a process, must equal what the seed benchmark's formulas give for the same usage, computed here.
 */
class ReportCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "claude-sonnet-4-6";
  // the shipped conf/pricing.yaml price of claude-sonnet-4-6, USD per MTok
  private static final double IN = 3.00;
  private static final double OUT = 15.00;
  private static final double READ = 0.30;
  private static final double W5M = 3.75;
  private static final double W1H = 6.00;

  @TempDir static Path dir;
  static Path config;
  static CacheUsageUpstream upstream;
  static TestGateway gw;

  // experiment "none": rollouts a1 (2 calls), a2 (1 call); experiment "sliding-4": rollout b1 (3 calls)
  static final List<Usage> NONE = List.of(new Usage(1200, 0, 0, null, null, 80),
      new Usage(1900, 0, 0, null, null, 60), new Usage(1300, 0, 0, null, null, 70));
  static final List<Usage> SLIDING = List.of(new Usage(50, 0, 1150, 1150L, 0L, 80),
      new Usage(30, 1150, 720, 200L, 520L, 60), new Usage(20, 1870, 710, null, null, 40));
  static final String TOOLS_BEFORE = "[{\"name\":\"bash\",\"description\":\"Run a command\","
      + "\"input_schema\":{\"type\":\"object\"}}]";
  static final String TOOLS_AFTER = "[{\"name\":\"bash\",\"description\":\"Run a shell command\","
      + "\"input_schema\":{\"type\":\"object\"}}]";

  @BeforeAll
  static void run() throws Exception {
    upstream = new CacheUsageUpstream();
    config = dir.resolve("tracegate.yaml");
    Files.writeString(config, String.join("\n",
        "server: { host: 127.0.0.1, port: 0 }",
        "store: { kind: sqlite, path: " + dir.resolve("report.db") + " }",
        "pricing: " + Path.of("conf/pricing.yaml").toAbsolutePath(),
        "models:",
        "  - name: " + MODEL,
        "    backends:",
        "      - provider: anthropic",
        "        base_url: " + upstream.baseUrl(),
        "        api_key: ${TRACEGATE_TEST_KEY:-sk-test}",
        "  - name: open-model",
        "    backends:",
        "      - provider: mock",
        ""));
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));

    // "none" is tagged by the header only (an unmodified agent), "sliding-4" through the rollout API
    call("a1", 1, TOOLS_BEFORE, NONE.get(0), "x-tracegate-tags", "strategy=none,question=q1");
    call("a1", 3, TOOLS_BEFORE, NONE.get(1), "x-tracegate-tags", "strategy=none,question=q1");
    call("a2", 1, TOOLS_BEFORE, NONE.get(2), "x-tracegate-tags", "strategy=none,question=q2");
    assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"b1\",\"metadata\":{\"strategy\":\"sliding-4\","
        + "\"question\":\"q1\"}}").statusCode()).isEqualTo(201);
    call("b1", 1, TOOLS_BEFORE, SLIDING.get(0));
    call("b1", 3, TOOLS_BEFORE, SLIDING.get(1));
    call("b1", 5, TOOLS_AFTER, SLIDING.get(2)); // the agent changed its tools: the cache breaks there
    // an open model without a price, in an untagged rollout
    assertThat(gw.post("/rollout/c1/attempt/1/v1/chat/completions", "{\"model\":\"open-model\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}").statusCode()).isEqualTo(200);
    reward("a1", 0.0);
    reward("a2", 0.5);
    reward("b1", 0.0);
    reward("b1", 1.0); // the final reward counts
    gw.awaitSpans(null, 11);
    // the header's tags reach the store on a worker thread: wait for them rather than for a time
    for (String rollout : List.of("a1", "a2")) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!gw.get("/api/rollouts/" + rollout).body().contains("\"strategy\":\"none\"")) {
        assertThat(System.nanoTime()).as("tags of " + rollout).isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  /** One Anthropic Messages call with a conversation of {@code messages} turns (user, assistant, user, ...). */
  private static void call(String rollout, int messages, String tools, Usage usage, String... headers)
      throws Exception {
    upstream.next(usage);
    ObjectNode body = JSON.createObjectNode().put("model", MODEL).put("max_tokens", 64);
    body.putArray("system").addObject().put("type", "text").put("text", "You are a precise coding assistant.")
        .putObject("cache_control").put("type", "ephemeral");
    body.set("tools", JSON.readTree(tools));
    ArrayNode msgs = body.putArray("messages");
    for (int i = 0; i < messages; i++) {
      ObjectNode m = msgs.addObject().put("role", i % 2 == 0 ? "user" : "assistant");
      ObjectNode block = m.putArray("content").addObject().put("type", "text").put("text", "turn " + i);
      if (i == messages - 1) {
        block.putObject("cache_control").put("type", "ephemeral"); // moves every call: not a prompt change
      }
    }
    HttpResponse<String> r = gw.post("/rollout/" + rollout + "/attempt/1/v1/messages", body.toString(), headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static void reward(String rollout, double value) throws Exception {
    assertThat(gw.post("/api/rollouts/" + rollout + "/rewards", "{\"value\":" + value + "}").statusCode())
        .isEqualTo(201);
  }

  // ---- the seed benchmark's accounting (cache-strategy-bench.py), with 1h writes priced apart -------------

  private static long write5m(Usage u) {
    return u.write5m() != null ? u.write5m() : u.cacheWrite() - (u.write1h() == null ? 0 : u.write1h());
  }

  private static long write1h(Usage u) {
    return u.write1h() == null ? 0 : u.write1h();
  }

  /** turn_cost(): input, output, cache read and cache write at the model's prices (5m and 1h writes apart). */
  private static double seedCost(List<Usage> calls) {
    double usd = 0;
    for (Usage u : calls) {
      usd += (u.input() * IN + u.output() * OUT + u.cacheRead() * READ + write5m(u) * W5M + write1h(u) * W1H) / 1e6;
    }
    return usd;
  }

  /** hit = cache_read / (input + cache_read + cache_write). */
  private static double seedHitRate(List<Usage> calls) {
    long input = 0;
    long read = 0;
    long write = 0;
    for (Usage u : calls) {
      input += u.input();
      read += u.cacheRead();
      write += u.cacheWrite();
    }
    return (double) read / (input + read + write);
  }

  private static long sum(List<Usage> calls, java.util.function.ToLongFunction<Usage> f) {
    return calls.stream().mapToLong(f).sum();
  }

  private static JsonNode api(String query) throws Exception {
    HttpResponse<String> r = gw.get("/api/report?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode group(JsonNode report, String name) {
    for (JsonNode g : report.path("groups")) {
      if (g.path("group").asText().equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no group " + name + " in " + report);
  }

  private static void assertExperiment(JsonNode g, List<Usage> calls, int rollouts) {
    assertThat(g.path("calls").asLong()).isEqualTo(calls.size());
    assertThat(g.path("errors").asLong()).isZero();
    assertThat(g.path("retries").asLong()).isZero();
    assertThat(g.path("rollouts").asLong()).isEqualTo(rollouts);
    assertThat(g.path("input_tokens").asLong()).isEqualTo(sum(calls, Usage::input));
    assertThat(g.path("cache_read_input_tokens").asLong()).isEqualTo(sum(calls, Usage::cacheRead));
    assertThat(g.path("cache_creation_5m_input_tokens").asLong()).isEqualTo(sum(calls, ReportCliTest::write5m));
    assertThat(g.path("cache_creation_1h_input_tokens").asLong()).isEqualTo(sum(calls, ReportCliTest::write1h));
    assertThat(g.path("output_tokens").asLong()).isEqualTo(sum(calls, Usage::output));
    assertThat(g.path("cache_hit_rate").asDouble()).isCloseTo(seedHitRate(calls), within(1e-12));
    assertThat(g.path("cost_usd").asDouble()).isCloseTo(seedCost(calls), within(1e-12));
    assertThat(g.path("cost_per_rollout_usd").asDouble()).isCloseTo(seedCost(calls) / rollouts, within(1e-12));
    assertThat(g.path("unpriced_calls").asLong()).isZero();
    assertThat(g.path("latency_p50_ms").asDouble()).isPositive()
        .isLessThanOrEqualTo(g.path("latency_p95_ms").asDouble());
    assertThat(g.path("wall_time_ms").asDouble()).isPositive();
  }

  @Test
  void apiReportPerStrategyEqualsTheSeedsAccounting() throws Exception {
    JsonNode report = api("by=tag:strategy");
    assertThat(report.path("group_by").asText()).isEqualTo("tag:strategy");
    JsonNode none = group(report, "none");
    assertExperiment(none, NONE, 2);
    assertThat(none.path("cache_hit_rate").asDouble()).isZero();
    assertThat(none.path("rewarded_rollouts").asLong()).isEqualTo(2);
    assertThat(none.path("positive_rollouts").asLong()).isEqualTo(1);
    assertThat(none.path("mean_reward").asDouble()).isCloseTo(0.25, within(1e-12));
    assertThat(none.path("cost_per_positive_rollout_usd").asDouble()).isCloseTo(seedCost(NONE), within(1e-12));
    JsonNode sliding = group(report, "sliding-4");
    assertExperiment(sliding, SLIDING, 1);
    assertThat(sliding.path("mean_reward").asDouble()).isEqualTo(1.0);
    assertThat(sliding.path("cost_per_positive_rollout_usd").asDouble())
        .isCloseTo(seedCost(SLIDING), within(1e-12));
    // the untagged rollout with an unpriced open model: its cost is unknown, not 0, and it is counted
    JsonNode untagged = group(report, "-");
    assertThat(untagged.path("calls").asLong()).isEqualTo(1);
    assertThat(untagged.path("cost_usd").isNull()).isTrue();
    assertThat(untagged.path("unpriced_calls").asLong()).isEqualTo(1);
    assertThat(report.path("unpriced_calls").asLong()).isEqualTo(1);
    assertThat(report.path("total").path("calls").asLong()).isEqualTo(7);
    assertThat(report.path("total").path("cost_usd").asDouble())
        .isCloseTo(seedCost(NONE) + seedCost(SLIDING), within(1e-12));

    // filters: a tag, a model, a rollout
    JsonNode q1 = api("by=tag:strategy&tag=question=q1&model=" + MODEL);
    assertThat(q1.path("groups").size()).isEqualTo(2);
    assertExperiment(group(q1, "none"), NONE.subList(0, 2), 1);
    assertThat(api("by=model&rollout_id=b1").path("groups").get(0).path("group").asText()).isEqualTo(MODEL);
    assertThat(gw.get("/api/report?by=colour").statusCode()).isEqualTo(400);
  }

  @Test
  void compareShowsOneColumnPerStrategyRelativeToTheFirst() throws Exception {
    JsonNode c = api("compare=tag:strategy&baseline=none").path("comparison");
    assertThat(c.path("columns").toString()).isEqualTo("[\"none\",\"sliding-4\"]");
    double relative = (seedCost(SLIDING) - seedCost(NONE)) / seedCost(NONE);
    assertThat(c.path("relative").path("sliding-4").path("cost_usd").asDouble()).isCloseTo(relative, within(1e-12));
    assertThat(c.path("relative").path("sliding-4").path("cache_hit_rate").isNull()).isTrue(); // baseline 0

    List<String> lines = CliProcess.ok("report", "--config", config.toString(), "--compare", "tag:strategy",
        "--baseline", "none");
    assertThat(lines.get(0)).containsPattern("TAG:STRATEGY\\s+none\\s+sliding-4");
    String cost = lines.stream().filter(l -> l.startsWith("cost_usd ")).findFirst().orElseThrow();
    assertThat(cost).contains(String.format(Locale.ROOT, "%.6f", seedCost(NONE)))
        .contains(String.format(Locale.ROOT, "%.6f (%+.1f%%)", seedCost(SLIDING), relative * 100));
    String hit = lines.stream().filter(l -> l.startsWith("cache_hit_rate ")).findFirst().orElseThrow();
    assertThat(hit).contains(String.format(Locale.ROOT, "%.1f%%", seedHitRate(SLIDING) * 100));
  }

  @Test
  void cacheBreakFromAChangedToolsArrayIsReportedAtTheRightCallAndPart() throws Exception {
    JsonNode breaks = api("rollout_id=b1&cache_breaks=true").path("cache_breaks");
    assertThat(breaks.size()).isEqualTo(2);
    assertThat(breaks.get(0).path("sequence_id").asLong()).isEqualTo(2);
    assertThat(breaks.get(0).path("extends_previous").asBoolean()).isTrue();
    assertThat(breaks.get(0).path("where").isNull()).isTrue();
    assertThat(breaks.get(0).path("cache_read_input_tokens").asLong()).isEqualTo(1150);
    JsonNode changed = breaks.get(1);
    assertThat(changed.path("sequence_id").asLong()).isEqualTo(3);
    assertThat(changed.path("where").asText()).isEqualTo("tools");
    // tools come first in the prompt; they differ right after this shared text
    long offset = "[{\"name\":\"bash\",\"description\":\"Run a ".length();
    assertThat(changed.path("byte_offset").asLong()).isEqualTo(offset);
    assertThat(changed.path("cache_read_input_tokens").asLong()).isEqualTo(1870);

    // the CLI as a process, reading the SQLite file
    JsonNode fromCli = JSON.readTree(String.join("\n", CliProcess.ok("report", "--config", config.toString(),
        "--rollout", "b1", "--cache-breaks", "--json")));
    assertThat(fromCli.path("cache_breaks")).isEqualTo(breaks);
    List<String> table = CliProcess.ok("report", "--config", config.toString(), "--rollout", "b1",
        "--cache-breaks");
    assertThat(table.get(2)).containsPattern("^3\\s+\\S+\\s+2\\s+tools\\s+" + offset + "\\s+1870\\s");
    assertThat(table.get(1)).contains("(extends it)");
    assertThat(CliProcess.run("report", "--config", config.toString(), "--cache-breaks").exit()).isEqualTo(2);
  }

  @Test
  void csvAndJsonShapes() throws Exception {
    List<String> csv = CliProcess.ok("report", "--config", config.toString(), "--by", "tag:strategy", "--csv");
    assertThat(csv.get(0)).isEqualTo("group,calls,errors,retries,rollouts,input_tokens,cache_read_input_tokens,"
        + "cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,output_tokens,reasoning_tokens,"
        + "cache_hit_rate,cost_usd,unpriced_calls,cost_per_rollout_usd,rewarded_rollouts,positive_rollouts,"
        + "cost_per_positive_rollout_usd,mean_reward,latency_p50_ms,latency_p95_ms,ttft_p50_ms,wall_time_ms,"
        + "first_start_unix_nano,last_end_unix_nano");
    assertThat(csv).hasSize(5); // header, "-", none, sliding-4, (total)
    List<String> names = new ArrayList<>();
    for (String line : csv.subList(1, csv.size())) {
      names.add(line.substring(0, line.indexOf(',')));
    }
    assertThat(names).containsExactly("-", "none", "sliding-4", "(total)");
    String[] sliding = csv.get(3).split(",", -1);
    assertThat(sliding).hasSize(25);
    assertThat(Long.parseLong(sliding[6])).isEqualTo(sum(SLIDING, Usage::cacheRead));
    assertThat(Double.parseDouble(sliding[12])).isCloseTo(seedCost(SLIDING), within(1e-12));
    assertThat(csv.get(1).split(",", -1)[12]).isEmpty(); // unknown cost: an empty cell, not 0

    // --json through a running gateway (--url) is the API's report
    JsonNode viaUrl = JSON.readTree(String.join("\n", CliProcess.ok("report", "--url", gw.url(""), "--by",
        "tag:strategy", "--json")));
    JsonNode api = api("by=" + URLEncoder.encode("tag:strategy", StandardCharsets.UTF_8));
    assertThat(viaUrl.path("groups").size()).isEqualTo(3);
    for (String field : List.of("calls", "input_tokens", "cache_read_input_tokens", "cost_usd", "cache_hit_rate")) {
      assertThat(viaUrl.path("total").path(field)).isEqualTo(api.path("total").path(field));
    }
    List<String> human = CliProcess.ok("report", "--config", config.toString(), "--by", "tag:strategy");
    assertThat(human.get(0)).startsWith("TAG:STRATEGY").contains("HIT %", "COST $", "NO PRICE");
    assertThat(human).anyMatch(l -> l.startsWith("(total)"));
    assertThat(human.get(human.size() - 1)).startsWith("1 call(s) had no price");
  }
}
