package io.tracegate.upstream.routing;

/** What a pause does with a new request for a paused model. */
public enum PauseMode {
  /** Keep it waiting (at most {@code pause.hold_timeout}) until a resume releases it. */
  HOLD("hold"),
  /** Answer it at once with 429 and {@code retry-after}. */
  REJECT("reject");

  private final String id;

  PauseMode(String id) {
    this.id = id;
  }

  /** The name used by the API ({@code "hold"}, {@code "reject"}). */
  public String id() {
    return id;
  }

  /** The mode named {@code id}, or null when there is none. */
  public static PauseMode of(String id) {
    for (PauseMode m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    return null;
  }
}
