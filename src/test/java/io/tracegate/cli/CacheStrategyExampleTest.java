package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/report.md's worked example, as documented: the shipped config (every claude-* model on the mock, which
 * simulates Anthropic's prompt cache), the seed benchmark's four strategies run by docs/examples/cache_strategies.py
 * (a Python process: an unmodified agent, tagged by header only), then `tracegate report` as a process on the
 * SQLite file. The strategies differ as the seed expects: none never hits the cache (its only breakpoints, on the
 * tools and the system prompt, are below the minimum cacheable length), single-last and sliding-4 read from the
 * cache on later turns, last-3 is refused (5 breakpoints), and the tool added mid-question is the cache break.
 */
class CacheStrategyExampleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path config;
  static TestGateway gw;
  static String run;
  static String scriptOutput;

  @BeforeAll
  static void runTheExample() throws Exception {
    String shipped = Files.readString(Path.of("conf/tracegate.yaml"));
    String yaml = shipped.replace("port: 4000", "port: 0")
        .replace("path: traces/tracegate.db", "path: " + dir.resolve("example.db"))
        .replace("pricing: conf/pricing.yaml", "pricing: " + Path.of("conf/pricing.yaml").toAbsolutePath());
    assertThat(yaml).isNotEqualTo(shipped).contains("port: 0").contains("example.db");
    config = dir.resolve("tracegate.yaml");
    Files.writeString(config, yaml);
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));

    run = "ex" + UUID.randomUUID().toString().substring(0, 8);
    Process p = new ProcessBuilder("python3", "docs/examples/cache_strategies.py", "--base-url", gw.url(""),
        "--run", run, "--add-tool-at", "q3").redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the example script finishes").isTrue();
    scriptOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(scriptOutput).isZero();
    gw.awaitSpans(null, 29); // 4 strategies x 4 questions x 2 calls, last-3 refused at each question's 2nd call
    for (String strategy : List.of("none", "single-last", "last-3", "sliding-4")) {
      long deadline = System.nanoTime() + 20_000_000_000L; // the header's tags are stored by a worker
      while (!gw.get("/api/rollouts/" + run + "-" + strategy + "-q4").body().contains("\"question\":\"q4\"")) {
        assertThat(System.nanoTime()).as("tags of " + strategy).isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private static JsonNode cli(String... args) throws Exception {
    String[] all = new String[args.length + 3];
    all[0] = "report";
    all[1] = "--config";
    all[2] = config.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return JSON.readTree(String.join("\n", CliProcess.ok(all)));
  }

  private static JsonNode group(JsonNode report, String name) {
    for (JsonNode g : report.path("groups")) {
      if (g.path("group").asText().equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no group " + name + " in " + report);
  }

  @Test
  void strategiesDifferAsTheSeedExpects() throws Exception {
    JsonNode report = api("by=tag:strategy");
    JsonNode none = group(report, "none");
    assertThat(none.path("calls").asLong()).isEqualTo(8);
    assertThat(none.path("cache_hit_rate").asDouble()).isZero();
    assertThat(none.path("cache_read_input_tokens").asLong()).isZero();
    assertThat(none.path("cache_creation_5m_input_tokens").asLong()).isZero();
    for (String caching : List.of("single-last", "sliding-4")) {
      JsonNode g = group(report, caching);
      assertThat(g.path("errors").asLong()).isZero();
      assertThat(g.path("cache_read_input_tokens").asLong()).as(caching).isPositive();
      assertThat(g.path("cache_creation_5m_input_tokens").asLong()).as(caching).isPositive();
      assertThat(g.path("cache_hit_rate").asDouble()).as(caching).isGreaterThan(0.5);
      assertThat(g.path("cost_usd").asDouble()).as(caching).isLessThan(none.path("cost_usd").asDouble());
    }
    JsonNode last3 = group(report, "last-3");
    assertThat(last3.path("errors").asLong()).isEqualTo(4); // 5 breakpoints: Anthropic's 400
    assertThat(scriptOutput).contains("A maximum of 4 blocks with cache_control may be provided. Found 5.");

    // per question: sliding-4 reads from the cache on the later turns, none never does
    JsonNode sliding = api("by=tag:question&tag=strategy=sliding-4");
    assertThat(group(sliding, "q1").path("cache_read_input_tokens").asLong()).isZero();
    for (String q : List.of("q2", "q3", "q4")) {
      assertThat(group(sliding, q).path("cache_read_input_tokens").asLong()).as(q).isPositive();
    }
    JsonNode noneQ = api("by=tag:question&tag=strategy=none");
    assertThat(noneQ.path("groups").size()).isEqualTo(4);
    for (JsonNode g : noneQ.path("groups")) {
      assertThat(g.path("cache_read_input_tokens").asLong()).isZero();
    }

    // the documented side-by-side table, from the CLI as a process
    List<String> table = CliProcess.ok("report", "--config", config.toString(), "--compare", "tag:strategy",
        "--baseline", "none");
    assertThat(table.get(0)).containsPattern("TAG:STRATEGY\\s+none\\s+last-3\\s+single-last\\s+sliding-4");
    String hit = table.stream().filter(l -> l.startsWith("cache_hit_rate ")).findFirst().orElseThrow();
    assertThat(hit).matches("cache_hit_rate\\s+0\\.0%\\s+0\\.0%\\s+[5-9]\\d\\.\\d%\\s+[5-9]\\d\\.\\d%");
  }

  private static JsonNode api(String query) throws Exception {
    var r = gw.get("/api/report?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void cacheBreaksPointAtTheAddedToolAndNotAtMovedMarks() throws Exception {
    JsonNode q3 = cli("--rollout", run + "-sliding-4-q3", "--cache-breaks", "--json").path("cache_breaks");
    assertThat(q3).isEqualTo(api("cache_breaks=true&rollout_id=" + run + "-sliding-4-q3").path("cache_breaks"));
    assertThat(q3.size()).isEqualTo(1);
    assertThat(q3.get(0).path("sequence_id").asLong()).isEqualTo(2);
    assertThat(q3.get(0).path("where").asText()).isEqualTo("tools");
    assertThat(q3.get(0).path("cache_read_input_tokens").asLong()).isZero();
    assertThat(q3.get(0).path("cache_creation_input_tokens").asLong())
        .isEqualTo(q3.get(0).path("input_tokens").asLong()); // the whole prompt written again

    JsonNode q2 = api("cache_breaks=true&rollout_id=" + run + "-sliding-4-q2").path("cache_breaks");
    assertThat(q2.get(0).path("extends_previous").asBoolean()).isTrue(); // the moved mark is no change
    assertThat(q2.get(0).path("cache_read_input_tokens").asLong()).isPositive();
  }
}
