package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tracegate.trace.CostCalculator;
import io.tracegate.trace.Usage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped conf/pricing.yaml prices the current Claude 4.x models, with Anthropic's cache multipliers. */
class ShippedPricingTest {
  private static final PriceTable SHIPPED = PricingLoader.load(Path.of("conf/pricing.yaml"));

  @Test
  void currentClaudeModelsHavePrices() {
    Map<String, double[]> expected = Map.of(
        "claude-opus-4-8", new double[] {5, 25},
        "claude-opus-4-7", new double[] {5, 25},
        "claude-opus-4-6", new double[] {5, 25},
        "claude-opus-4-5-20251101", new double[] {5, 25},
        "claude-sonnet-4-6", new double[] {3, 15},
        "claude-sonnet-4-5-20250929", new double[] {3, 15},
        "claude-haiku-4-5-20251001", new double[] {1, 5});
    expected.forEach((model, io) -> {
      ModelPrice p = SHIPPED.find(model).orElseThrow(() -> new AssertionError("no price for " + model));
      assertThat(p.inputPerMTok()).as(model + " input").isEqualTo(io[0]);
      assertThat(p.outputPerMTok()).as(model + " output").isEqualTo(io[1]);
    });
  }

  /**
   * Open-weight models (whatever host serves them) and Claude models without a published price are unknown,
   * never priced by a broad glob: docs/config.md lists them and says how to add a host's prices.
   */
  @Test
  void openWeightModelsAndUnpublishedClaudeModelsHaveNoPrice() {
    for (String model : new String[] {"meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b-versatile",
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "Qwen/Qwen3-Coder-30B-A3B-Instruct",
        "Qwen/Qwen2.5-72B-Instruct", "deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1",
        "mistralai/Mixtral-8x7B-Instruct-v0.1", "openai/gpt-oss-120b", "gpt-oss-20b", "claude-opus-5",
        "claude-sonnet-5-0"}) {
      assertThat(SHIPPED.find(model)).as(model).isEmpty();
    }
  }

  /**
   * DeepSeek's own API (the maker's list price, api-docs.deepseek.com/quick_start/pricing, in effect since
   * 2025-09-05): cache misses at 0.56, hits at 0.07, output at 1.68 per MTok for both model names. Its usage names
   * the cache hits {@code prompt_cache_hit_tokens}: they are priced as cache reads.
   */
  @Test
  void deepSeeksOwnApiIsPricedWithItsCacheHits() throws Exception {
    CostCalculator costs = new CostCalculator(SHIPPED);
    Usage u = io.tracegate.trace.UsageNormalizer.fromOpenAi(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree("{\"prompt_tokens\":1000000,\"completion_tokens\":1000000,\"prompt_cache_hit_tokens\":600000,"
            + "\"prompt_cache_miss_tokens\":400000}"));
    assertThat(u.cacheReadInputTokens()).isEqualTo(600_000L);
    for (String model : new String[] {"deepseek-chat", "deepseek-reasoner"}) {
      assertThat(costs.cost(u, model)).as(model).isCloseTo(0.4 * 0.56 + 0.6 * 0.07 + 1.68, within(1e-9));
    }
  }

  @Test
  void everyClaudeEntryFollowsAnthropicsCacheMultipliers() {
    SHIPPED.entries().forEach((key, p) -> {
      if (key.startsWith("claude-")) {
        assertThat(p.cacheWrite5mPerMTok()).as(key + " 5m write").isCloseTo(1.25 * p.inputPerMTok(), within(1e-9));
        assertThat(p.cacheWrite1hPerMTok()).as(key + " 1h write").isCloseTo(2.0 * p.inputPerMTok(), within(1e-9));
        assertThat(p.cacheReadPerMTok()).as(key + " read").isCloseTo(0.1 * p.inputPerMTok(), within(1e-9));
      }
    });
  }

  @Test
  void sonnet46CostUsesTheReported5mAnd1hSplit() {
    // 1000 input in all (OpenTelemetry: includes cached): 100 uncached, 300 read, 200 written 5m, 400 written 1h
    Usage u = new Usage(1000L, 50L, 300L, 600L, 200L, 400L, null);
    double expected = (100 * 3.0 + 300 * 0.30 + 200 * 3.75 + 400 * 6.00 + 50 * 15.0) / 1e6;
    assertThat(new CostCalculator(SHIPPED).cost(u, "claude-sonnet-4-6")).isCloseTo(expected, within(1e-12));
    assertThat(new CostCalculator(SHIPPED).cost(u, "some-open-model")).isNull();
  }
}
