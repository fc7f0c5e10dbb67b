package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ModelPrice;
import io.tracegate.config.PriceTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage normalisation (input includes cached, for every provider) and pricing (never a fake 0). */
class UsageAndCostTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void openAiPromptTokensAlreadyIncludeCachedTokens() throws Exception {
    Usage u = UsageNormalizer.fromOpenAi(JSON.readTree("{\"prompt_tokens\":1000,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":800},\"completion_tokens_details\":{\"reasoning_tokens\":20}}"));
    assertThat(u).isEqualTo(new Usage(1000L, 50L, 800L, null, null, null, 20L));
    assertThat(u.uncachedInputTokens()).isEqualTo(200);
  }

  @Test
  void anthropicInputTokensExcludeCacheSoTheyAreAddedBackAndTheSplitIsKept() throws Exception {
    Usage u = UsageNormalizer.fromAnthropic(JSON.readTree("{\"input_tokens\":10,\"output_tokens\":70,"
        + "\"cache_read_input_tokens\":3000,\"cache_creation_input_tokens\":500,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":200,\"ephemeral_1h_input_tokens\":300}}"));
    assertThat(u).isEqualTo(new Usage(3510L, 70L, 3000L, 500L, 200L, 300L, null));
    // a split without the total still yields the total
    Usage splitOnly = UsageNormalizer.fromAnthropic(JSON.readTree("{\"input_tokens\":1,\"output_tokens\":2,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":4,\"ephemeral_1h_input_tokens\":5}}"));
    assertThat(splitOnly.cacheCreationInputTokens()).isEqualTo(9L);
    assertThat(splitOnly.inputTokens()).isEqualTo(10L);
  }

  @Test
  void absentUsageIsNullNotZero() throws Exception {
    assertThat(UsageNormalizer.fromOpenAi(null)).isNull();
    assertThat(UsageNormalizer.fromOpenAi(JSON.readTree("null"))).isNull();
    Usage partial = UsageNormalizer.fromOpenAi(JSON.readTree("{\"prompt_tokens\":5}"));
    assertThat(partial.outputTokens()).isNull();
    assertThat(partial.cacheReadInputTokens()).isNull();
  }

  @Test
  void costUsesCacheRatesAndIsNullWhenUnknown() {
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    prices.put("claude-sonnet-4-5*", new ModelPrice(3.0, 15.0, 0.30, 3.75, 6.0));
    CostCalculator costs = new CostCalculator(PriceTable.of(prices));
    Usage u = new Usage(3510L, 70L, 3000L, 500L, 200L, 300L, null);
    double expected = (10 * 3.0 + 3000 * 0.30 + 200 * 3.75 + 300 * 6.0 + 70 * 15.0) / 1e6;
    assertThat(costs.cost(u, "claude-sonnet-4-5-20250929")).isCloseTo(expected, within(1e-12));
    // unknown split: cache writes priced as 5m writes
    Usage noSplit = new Usage(510L, 0L, 0L, 500L, null, null, null);
    assertThat(costs.cost(noSplit, "claude-sonnet-4-5")).isCloseTo((10 * 3.0 + 500 * 3.75) / 1e6, within(1e-12));
    assertThat(costs.cost(u, "qwen3-coder")).isNull();
    assertThat(costs.cost(null, "claude-sonnet-4-5")).isNull();
    // backend model first, then the frontend name
    assertThat(costs.cost(u, "unpriced-backend", "claude-sonnet-4-5")).isNotNull();
  }
}
