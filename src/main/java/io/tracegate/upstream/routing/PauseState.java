package io.tracegate.upstream.routing;

import io.tracegate.config.Glob;
import java.util.List;

/**
 * The gate's settings at one moment, immutable: whether it is paused, how, for which models, and the policy
 * version new requests are served with.
 *
 * @param mode null when not paused
 * @param models the model names or globs paused; null for every model (and when not paused)
 * @param modelVersion the version set by the last resume; null when none was set
 */
public record PauseState(boolean paused, PauseMode mode, List<String> models, String modelVersion) {
  static final PauseState OPEN = new PauseState(false, null, null, null);

  public PauseState {
    models = models == null ? null : List.copyOf(models);
  }

  /**
   * True when a request for {@code clientModel} (the name the client sent), served by the configured model
   * entry {@code configuredName}, must wait or be refused. An entry of {@link #models} matches when it equals
   * either name, or when it is a glob ({@code *}) that matches the client's name.
   */
  boolean stops(String clientModel, String configuredName) {
    if (!paused) {
      return false;
    }
    if (models == null) {
      return true;
    }
    for (String m : models) {
      if (m.equals(clientModel) || m.equals(configuredName)
          || (Glob.isGlob(m) && clientModel != null && Glob.matches(m, clientModel))) {
        return true;
      }
    }
    return false;
  }
}
