package io.tracegate.dataset;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link TripletAdapter} turns spans into triplets.
 *
 * @param mode where untargeted rewards go
 * @param gamma discount factor in [0, 1] for {@link RewardMode#DISCOUNTED}; 1.0 (and ignored) in other modes
 * @param merge join consecutive turns whose prompt extends the previous turn's prompt + response into one
 *     sample with a loss mask (see docs/dataset.md)
 * @param semantics extraction rules; {@link Semantics#AGL_V1} ignores {@code mode} (final reward on every row)
 */
public record AdapterOptions(RewardMode mode, double gamma, boolean merge, Semantics semantics) {

  /** Agent Lightning's behaviour: matched rewards, one triplet per call. */
  public static final AdapterOptions DEFAULT = new AdapterOptions(RewardMode.MATCHED, 1.0, false);

  /** tracegate's own semantics. */
  public AdapterOptions(RewardMode mode, double gamma, boolean merge) {
    this(mode, gamma, merge, Semantics.TRACEGATE);
  }

  public AdapterOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(semantics, "semantics");
    if (mode != RewardMode.DISCOUNTED) {
      gamma = 1.0;
    } else if (!(gamma >= 0.0 && gamma <= 1.0)) {
      throw new IllegalArgumentException("gamma must be between 0 and 1, got " + gamma);
    }
  }

  /**
   * Parses a reward mode spec: {@code matched}, {@code last}, {@code broadcast} or {@code discounted:<gamma>}
   * (e.g. {@code discounted:0.9}), case-insensitive; null or blank means {@code matched}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static AdapterOptions parse(String rewardSpec, boolean merge) {
    if (rewardSpec == null || rewardSpec.isBlank()) {
      return new AdapterOptions(RewardMode.MATCHED, 1.0, merge);
    }
    String spec = rewardSpec.trim().toLowerCase(Locale.ROOT);
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    return switch (name) {
      case "matched", "last", "broadcast" -> {
        if (colon >= 0) {
          throw bad(rewardSpec, "only discounted takes a parameter");
        }
        yield new AdapterOptions(RewardMode.valueOf(name.toUpperCase(Locale.ROOT)), 1.0, merge);
      }
      case "discounted" -> {
        if (colon < 0) {
          throw bad(rewardSpec, "discounted needs a gamma, e.g. discounted:0.9");
        }
        double gamma;
        try {
          gamma = Double.parseDouble(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw bad(rewardSpec, "gamma is not a number");
        }
        if (!(gamma >= 0.0 && gamma <= 1.0)) {
          throw bad(rewardSpec, "gamma must be between 0 and 1");
        }
        yield new AdapterOptions(RewardMode.DISCOUNTED, gamma, merge);
      }
      default -> throw bad(rewardSpec, "unknown mode");
    };
  }

  /** The same options with these semantics. */
  public AdapterOptions withSemantics(Semantics newSemantics) {
    return new AdapterOptions(mode, gamma, merge, newSemantics);
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("invalid reward mode '" + spec + "' (" + why
        + "): use matched, last, broadcast or discounted:<gamma>");
  }
}
