package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files in conf/ load with no environment at all (tests run from the project directory). */
class ShippedFilesTest {
  private static final Path CONFIG = Path.of("conf/tracegate.yaml");
  private static final Path PRICING = Path.of("conf/pricing.yaml");

  @Test
  void defaultConfigLoadsWithAnEmptyEnvironment() {
    GatewayConfig c = ConfigLoader.load(CONFIG, Map.of());

    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(4000);
    assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.SQLITE);
    assertThat(c.store().path()).endsWith("traces/tracegate.db");
    assertThat(c.pricingFile()).isEqualTo(PRICING.toAbsolutePath());
    assertThat(c.models())
        .allSatisfy(m -> assertThat(m.backends()).allMatch(b -> b.provider() == Provider.MOCK));
    for (String name : new String[] {"mock-model", "gpt-4o-mini", "claude-sonnet-4-5-20250929"}) {
      assertThat(c.findModel(name)).as(name).isPresent();
    }
    BackendConfig vllm = c.findModel("vllm-mock").orElseThrow().backends().get(0);
    assertThat(vllm.capture()).containsExactlyInAnyOrder(Capture.TOKEN_IDS, Capture.LOGPROBS);
  }

  @Test
  void commentedOutRealBackendsAreValidOnceUncommented(@TempDir Path dir) throws IOException {
    String uncommented =
        Files.readAllLines(CONFIG).stream()
            .map(ShippedFilesTest::uncomment)
            .collect(Collectors.joining("\n"));
    Path file = Files.writeString(dir.resolve("real.yaml"), uncommented);

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.findModel("gpt-4.1").orElseThrow().backends().get(0).apiKey().isMissing()).isTrue();
    BackendConfig claude = c.findModel("claude-sonnet-4-5-20250929").orElseThrow().backends().get(0);
    assertThat(claude.provider()).isEqualTo(Provider.ANTHROPIC);
    BackendConfig vllm = c.findModel("qwen3-coder").orElseThrow().backends().get(0);
    assertThat(vllm.baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(vllm.apiKey().isMissing()).isFalse();
    assertThat(vllm.capture()).hasSize(2);
  }

  /** Example YAML lines in the comments start with "  # - " or "  #   "; prose lines do not. */
  private static String uncomment(String line) {
    return line.startsWith("  # - ") || line.startsWith("  #   ") ? "  " + line.substring(4) : line;
  }

  @Test
  void shippedPricingLoadsAndPricesCommonModels() {
    PriceTable t = PricingLoader.load(PRICING);

    assertThat(t.find("gpt-4o")).contains(new ModelPrice(2.50, 10.00, 1.25, null, null));
    assertThat(t.find("gpt-4o-mini").orElseThrow().inputPerMTok()).isEqualTo(0.15);
    assertThat(t.find("gpt-5").orElseThrow().outputPerMTok()).isEqualTo(10.00);
    assertThat(t.find("gpt-5-mini").orElseThrow().inputPerMTok()).isEqualTo(0.25);
    assertThat(t.find("gpt-4.1-nano").orElseThrow().inputPerMTok()).isEqualTo(0.10);
    assertThat(t.find("o3")).isPresent();
    assertThat(t.find("o4-mini")).isPresent();
    assertThat(t.find("claude-sonnet-4-5-20250929"))
        .contains(new ModelPrice(3.00, 15.00, 0.30, 3.75, 6.00));
    assertThat(t.find("claude-sonnet-4-20250514").orElseThrow().inputPerMTok()).isEqualTo(3.00);
    assertThat(t.find("claude-opus-4-1-20250805").orElseThrow().outputPerMTok()).isEqualTo(75.00);
    assertThat(t.find("claude-opus-4-20250514").orElseThrow().outputPerMTok()).isEqualTo(75.00);
    assertThat(t.find("claude-opus-4-5-20251101").orElseThrow().outputPerMTok()).isEqualTo(25.00);
    assertThat(t.find("claude-haiku-4-5-20251001").orElseThrow().inputPerMTok()).isEqualTo(1.00);
    assertThat(t.find("claude-3-5-haiku-20241022").orElseThrow().inputPerMTok()).isEqualTo(0.80);
    // Open-weight models and the mock have no price: cost stays unknown.
    assertThat(t.find("Qwen/Qwen3-Coder-30B-A3B-Instruct")).isEmpty();
    assertThat(t.find("mock-model")).isEmpty();
    assertThat(t.find("vllm-mock")).isEmpty();
  }
}
