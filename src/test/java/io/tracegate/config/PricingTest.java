package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTest {
  @TempDir Path dir;

  @Test
  void loadsPricesWithOptionalCacheFields() {
    Path file =
        YamlFiles.write(
            dir,
            "pricing.yaml",
            """
            models:
              gpt-4o: { input: 2.50, output: 10.00, cache_read: 1.25 }
              claude-sonnet-4-5*: { input: 3, output: 15, cache_read: 0.30, cache_write_5m: 3.75, cache_write_1h: 6 }
            """);

    PriceTable t = PricingLoader.load(file);

    assertThat(t.size()).isEqualTo(2);
    assertThat(t.entries().keySet()).containsExactly("gpt-4o", "claude-sonnet-4-5*");
    assertThat(t.find("gpt-4o")).contains(new ModelPrice(2.50, 10.00, 1.25, null, null));
    assertThat(t.find("claude-sonnet-4-5-20250929"))
        .contains(new ModelPrice(3, 15, 0.30, 3.75, 6.0));
    assertThat(t.find("gpt-4o-mini")).isEmpty();
    assertThat(t.find(null)).isEmpty();
  }

  @Test
  void cachePricesFallBackToMultiplesOfInput() {
    ModelPrice p = ModelPrice.of(4.0, 8.0);

    assertThat(p.effectiveCacheReadPerMTok()).isEqualTo(4.0);
    assertThat(p.effectiveCacheWrite5mPerMTok()).isEqualTo(5.0);
    assertThat(p.effectiveCacheWrite1hPerMTok()).isEqualTo(8.0);
    ModelPrice explicit = new ModelPrice(4.0, 8.0, 0.4, 4.5, 7.0);
    assertThat(explicit.effectiveCacheReadPerMTok()).isEqualTo(0.4);
    assertThat(explicit.effectiveCacheWrite5mPerMTok()).isEqualTo(4.5);
    assertThat(explicit.effectiveCacheWrite1hPerMTok()).isEqualTo(7.0);
  }

  @Test
  void exactKeyBeatsEarlierGlobAndGlobsMatchInFileOrder() {
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    prices.put("gpt-4o*", ModelPrice.of(1, 1));
    prices.put("gpt-4o-mini*", ModelPrice.of(2, 2));
    prices.put("gpt-4o-mini", ModelPrice.of(3, 3));
    prices.put("o?-mini", ModelPrice.of(4, 4));
    PriceTable t = PriceTable.of(prices);

    assertThat(t.find("gpt-4o-mini")).contains(ModelPrice.of(3, 3));
    assertThat(t.find("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of(1, 1));
    assertThat(t.find("gpt-4o")).contains(ModelPrice.of(1, 1));
    assertThat(t.find("o4-mini")).contains(ModelPrice.of(4, 4));
    assertThat(t.find("o10-mini")).isEmpty();
  }

  /** docs/config.md: a hosted or self-hosted open model is priced under the name its backend reports. */
  @Test
  void modelNamesWithSlashesAsHostsAndVllmReportThem() {
    PriceTable t = PricingLoader.load(YamlFiles.write(dir, "open.yaml", """
        models:
          "meta-llama/Llama-3.3-70B-Instruct-Turbo": { input: 0.5, output: 0.75 }
          "Qwen/Qwen3-Coder-*": { input: 0.2, output: 0.6 }
        """));
    assertThat(t.find("meta-llama/Llama-3.3-70B-Instruct-Turbo").orElseThrow().outputPerMTok()).isEqualTo(0.75);
    assertThat(t.find("Qwen/Qwen3-Coder-30B-A3B-Instruct").orElseThrow().inputPerMTok()).isEqualTo(0.2);
  }

  @Test
  void emptyFileAndEmptyTable() {
    assertThat(PricingLoader.load(YamlFiles.write(dir, "e.yaml", "")).isEmpty()).isTrue();
    assertThat(PricingLoader.load(YamlFiles.write(dir, "m.yaml", "models: {}")).isEmpty()).isTrue();
    assertThat(PriceTable.empty().find("gpt-4o")).isEmpty();
  }

  @Test
  void loadsTheConfiguredPricingFileOrNothing() {
    Path prices = YamlFiles.write(dir, "p.yaml", "models: { m: { input: 1, output: 2 } }");
    Path config =
        YamlFiles.write(dir, "c.yaml", YamlFiles.minimal("pricing: " + prices));

    assertThat(PricingLoader.load(ConfigLoader.load(config, Map.of())).find("m")).isPresent();
    Path noPricing = YamlFiles.write(dir, "n.yaml", YamlFiles.minimal(""));
    assertThat(PricingLoader.load(ConfigLoader.load(noPricing, Map.of())).isEmpty()).isTrue();
  }

  @Test
  void errorsNameFileAndPath() {
    Path unknown = YamlFiles.write(dir, "u.yaml", "models:\n  gpt-4.1: { input: 2, output: 8, cached: 1 }\n");
    assertThatThrownBy(() -> PricingLoader.load(unknown))
        .isInstanceOf(ConfigException.class)
        .hasMessage(unknown + ": models[\"gpt-4.1\"].cached: unknown key; allowed keys here: input,"
            + " output, cache_read, cache_write_5m, cache_write_1h");

    Path missing = YamlFiles.write(dir, "r.yaml", "models:\n  gpt-4o: { input: 2.5 }\n");
    assertThatThrownBy(() -> PricingLoader.load(missing))
        .hasMessage(missing + ": models.gpt-4o.output: required but missing");

    Path text = YamlFiles.write(dir, "t.yaml", "models:\n  gpt-4o: { input: \"$2.50\", output: 10 }\n");
    assertThatThrownBy(() -> PricingLoader.load(text))
        .hasMessage(text + ": models.gpt-4o.input: expected a price in USD per million tokens (a number"
            + " like 2.50) but was a string \"$2.50\"");

    Path negative = YamlFiles.write(dir, "n.yaml", "models:\n  gpt-4o: { input: -1, output: 10 }\n");
    assertThatThrownBy(() -> PricingLoader.load(negative))
        .hasMessage(negative + ": models.gpt-4o.input: expected a price >= 0 but was -1.0");

    Path top = YamlFiles.write(dir, "x.yaml", "prices: {}\n");
    assertThatThrownBy(() -> PricingLoader.load(top))
        .hasMessage(top + ": prices: unknown key; allowed keys here: models");
  }
}
