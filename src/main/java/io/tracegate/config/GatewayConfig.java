package io.tracegate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole gateway configuration, parsed once at start and never mutated.
 *
 * @param source the file it was read from (null when built in code)
 * @param pricingFile the pricing table (null: no prices, every cost_usd is null)
 * @param pause how the pause gate treats new requests (never null; defaults when the file has no section)
 * @param telemetry OTLP export (never null; no export when the file has no section)
 * @param access browser-origin protection, admin key, virtual keys (never null; defaults: no key needed)
 */
public record GatewayConfig(
    Path source, ServerConfig server, StoreConfig store, List<ModelConfig> models, Path pricingFile,
    PauseConfig pause, TelemetryConfig telemetry, AccessConfig access) {

  public GatewayConfig {
    models = List.copyOf(models);
    pause = pause == null ? PauseConfig.defaults() : pause;
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    access = access == null ? AccessConfig.defaults() : access;
  }

  /** A config with the default access settings. */
  public GatewayConfig(Path source, ServerConfig server, StoreConfig store, List<ModelConfig> models,
      Path pricingFile, PauseConfig pause, TelemetryConfig telemetry) {
    this(source, server, store, models, pricingFile, pause, telemetry, null);
  }

  /** A config without OTLP export. */
  public GatewayConfig(Path source, ServerConfig server, StoreConfig store, List<ModelConfig> models,
      Path pricingFile, PauseConfig pause) {
    this(source, server, store, models, pricingFile, pause, null);
  }

  /** A config with the default {@code pause:} settings. */
  public GatewayConfig(Path source, ServerConfig server, StoreConfig store, List<ModelConfig> models,
      Path pricingFile) {
    this(source, server, store, models, pricingFile, null);
  }

  /**
   * The entry serving a client's model name: an exact name wins over globs; among globs the first in file
   * order wins. Linear in the number of entries (routers on a hot path may build their own index).
   */
  public Optional<ModelConfig> findModel(String frontendModel) {
    for (ModelConfig m : models) {
      if (!m.isGlob() && m.name().equals(frontendModel)) {
        return Optional.of(m);
      }
    }
    for (ModelConfig m : models) {
      if (m.isGlob() && Glob.matches(m.name(), frontendModel)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public GatewayConfig withPort(int port) {
    return new GatewayConfig(source, server.withPort(port), store, models, pricingFile, pause, telemetry, access);
  }

  public GatewayConfig withStore(StoreConfig newStore) {
    return new GatewayConfig(source, server, newStore, models, pricingFile, pause, telemetry, access);
  }

  public GatewayConfig withTelemetry(TelemetryConfig newTelemetry) {
    return new GatewayConfig(source, server, store, models, pricingFile, pause, newTelemetry, access);
  }

  public GatewayConfig withPause(PauseConfig newPause) {
    return new GatewayConfig(source, server, store, models, pricingFile, newPause, telemetry, access);
  }

  public GatewayConfig withAccess(AccessConfig newAccess) {
    return new GatewayConfig(source, server, store, models, pricingFile, pause, telemetry, newAccess);
  }
}
