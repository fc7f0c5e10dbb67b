package io.tracegate.upstream;

import io.tracegate.config.ModelConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the model name a client asks for to its route: an exact name wins (one hash lookup on the hot path),
 * then the first glob in config order that matches. Immutable and thread-safe; built once at start.
 */
public final class ModelRouter {
  private final List<ModelConfig> models;
  private final Map<String, ModelConfig> exact = new HashMap<>();
  private final List<ModelConfig> globs;

  public ModelRouter(List<ModelConfig> models) {
    this.models = List.copyOf(models);
    for (ModelConfig m : models) {
      if (!m.isGlob()) {
        exact.putIfAbsent(m.name(), m);
      }
    }
    this.globs = models.stream().filter(ModelConfig::isGlob).toList();
  }

  public Optional<ModelConfig> route(String frontendModel) {
    ModelConfig hit = exact.get(frontendModel);
    if (hit != null) {
      return Optional.of(hit);
    }
    for (ModelConfig g : globs) {
      if (g.matches(frontendModel)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /** Every configured name (exact names and glob patterns), in config order. */
  public List<String> names() {
    return models.stream().map(ModelConfig::name).toList();
  }

  /** Configured exact names only: what {@code GET /v1/models} lists. */
  public List<String> exactNames() {
    return models.stream().filter(m -> !m.isGlob()).map(ModelConfig::name).toList();
  }
}
