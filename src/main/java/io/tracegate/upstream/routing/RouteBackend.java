package io.tracegate.upstream.routing;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.HealthConfig;
import io.tracegate.upstream.Backend;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway-wide state of one backend of one model: health, requests in flight, recent attempts. Shared by
 * every event loop (each loop has its own {@link Backend} object for sending).
 */
public final class RouteBackend {
  private final int index;
  private final BackendConfig config;
  private final String name;
  private final BackendHealth health;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final RecentCalls recent = new RecentCalls();
  private final long salt;

  RouteBackend(int index, BackendConfig config, HealthConfig health) {
    this.index = index;
    this.config = config;
    this.name = Backend.labelOf(config);
    this.health = new BackendHealth(health.failures(), health.cooldown().toNanos());
    this.salt = StickyKeys.hash(name);
  }

  /** Position in the model's {@code backends} list. */
  public int index() {
    return index;
  }

  public BackendConfig config() {
    return config;
  }

  /** The label in spans. */
  public String name() {
    return name;
  }

  public int weight() {
    return config.weight();
  }

  public BackendHealth health() {
    return health;
  }

  /** Client requests this backend is serving now (from its attempt's start until the response ended). */
  public int inFlight() {
    return inFlight.get();
  }

  public void enter() {
    inFlight.incrementAndGet();
  }

  public void leave() {
    inFlight.decrementAndGet();
  }

  public RecentCalls recent() {
    return recent;
  }

  /** This backend's part of a rendezvous hash (from its name, so it survives reordering the list). */
  long salt() {
    return salt;
  }
}
