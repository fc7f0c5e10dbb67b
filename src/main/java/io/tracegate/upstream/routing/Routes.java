package io.tracegate.upstream.routing;

import io.tracegate.config.ModelConfig;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The {@link Route} of every configured model, made once per gateway and shared by all its event loops. */
public final class Routes {
  private final Map<ModelConfig, Route> routes = new IdentityHashMap<>();
  private final List<Route> all = new ArrayList<>();

  public Routes(List<ModelConfig> models) {
    for (ModelConfig m : models) {
      Route r = new Route(m);
      routes.put(m, r);
      all.add(r);
    }
  }

  public Route of(ModelConfig model) {
    return routes.get(model);
  }

  /** Every route, in config order. */
  public List<Route> all() {
    return all;
  }

  /** Backends (of every model) cooling down or being probed now. */
  public int outOfService() {
    int n = 0;
    for (Route r : all) {
      n += r.outOfService();
    }
    return n;
  }
}
