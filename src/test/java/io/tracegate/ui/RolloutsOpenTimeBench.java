package io.tracegate.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Issue 24 point 4, measured (bench/ui.sh; not run by {@code mvn verify}, its name is not a test's): a SQLite store
 * of 100,000 spans (10,000 rollouts of 9 calls and a reward, each call with a 2 KB request and its answer), a gateway
 * on it, and the time the Rollouts view takes to open in Chromium, from navigation start to the
 * {@code rollouts-rendered} performance mark (set once the first page's rows are in the DOM).
 */
class RolloutsOpenTimeBench {
  static final int ROLLOUTS = Integer.getInteger("rollouts", 10_000);
  static final int CALLS = 9;

  @Test
  void rolloutsViewOpensInUnderASecond() throws Exception {
    Path dir = Files.createTempDirectory("tracegate-ui-bench");
    StoreConfig store = StoreConfig.sqlite(dir.resolve("big.db").toString());
    long t0 = System.nanoTime();
    fill(store);
    System.out.printf("generated %,d spans in %.1f s (%s, %,d bytes)%n", ROLLOUTS * (CALLS + 1L),
        (System.nanoTime() - t0) / 1e9, dir.resolve("big.db"), Files.size(dir.resolve("big.db")));
    try (TestGateway gw = TestGateway.start(TestGateway.config(store, 1 << 20,
        Map.of("policy", TestGateway.mock(Set.of(Capture.TOKEN_IDS)))));
        Browser browser = Browser.start()) {
      long a0 = System.nanoTime();
      assertThat(gw.get("/api/rollout-table?limit=50").statusCode()).isEqualTo(200);
      System.out.printf("GET /api/rollout-table (first page of 50, cold): %.0f ms%n", (System.nanoTime() - a0) / 1e6);
      List<Double> opens = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        browser.open("about:blank");
        browser.open(gw.url("/ui/#/rollouts"));
        browser.find(By.cssSelector("tr.rollout-row"));
        double ms = ((Number) browser.js(
            "return performance.getEntriesByName('rollouts-rendered')[0].startTime")).doubleValue();
        opens.add(ms);
      }
      assertThat(browser.find(By.cssSelector(".page-info")).getText()).isEqualTo("1–50 of 10,000".replace("10,000",
          String.format("%,d", ROLLOUTS)));
      browser.screenshot("rollouts-100k");
      System.out.println("Rollouts view open time (navigation start -> rows rendered), ms: " + opens);
      assertThat(opens.stream().skip(1).mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(1000);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Writes the spans straight into the store, in batches, as the gateway's writer would. */
  private static void fill(StoreConfig config) throws Exception {
    ObjectMapper json = new ObjectMapper();
    var request = json.readTree("{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "x".repeat(2000) + "\"}]}");
    var response = json.readTree("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}");
    long base = System.currentTimeMillis() * 1_000_000L - ROLLOUTS * 10_000_000_000L;
    try (SpanStore store = SpanStores.open(config, false)) {
      List<Span> batch = new ArrayList<>();
      long id = 1;
      for (int r = 0; r < ROLLOUTS; r++) {
        String rollout = "bench-" + r;
        long t = base + r * 10_000_000_000L;
        for (int c = 1; c <= CALLS; c++) {
          long start = t + c * 1_000_000_000L;
          batch.add(new Span(String.format("%016x", id++), null, null, rollout, "1", (long) c, Span.KIND_LLM,
              "chat policy", start, start + 400_000_000L, null, Span.STATUS_OK, null, "openai", "policy", "mock",
              "mock", "policy", new Usage(1200L + c, 80L, 1000L, null, null, null, null), 0.0012, request, response,
              null, null, null, null, Map.of()));
        }
        batch.add(RewardSpans.reward(rollout, "1", CALLS + 1, null, r % 2, null, t + 9_500_000_000L));
        if (batch.size() >= 5000) {
          store.append(batch);
          batch.clear();
        }
      }
      store.append(batch);
    }
  }
}
