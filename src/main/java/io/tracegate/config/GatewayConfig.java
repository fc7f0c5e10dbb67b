package io.tracegate.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole gateway configuration, parsed once at start and never mutated.
 *
 * @param source the file it was read from (null when built in code)
 * @param pricingFile the pricing table (null: no prices, every cost_usd is null)
 */
public record GatewayConfig(
    Path source, ServerConfig server, StoreConfig store, List<ModelConfig> models, Path pricingFile) {

  public GatewayConfig {
    models = List.copyOf(models);
  }

  public GatewayConfig withPort(int port) {
    return new GatewayConfig(source, server.withPort(port), store, models, pricingFile);
  }

  public GatewayConfig withStore(StoreConfig newStore) {
    return new GatewayConfig(source, server, newStore, models, pricingFile);
  }
}
