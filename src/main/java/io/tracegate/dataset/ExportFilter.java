package io.tracegate.dataset;

/**
 * What {@link DatasetExporter} exports. Null fields do not filter.
 *
 * @param rolloutId only this rollout
 * @param attempt {@value #LATEST} (default when null): each rollout's latest attempt, the one created last
 *     (registered, or first seen on a span; no triplets while it has no calls); {@value #ALL}: every attempt;
 *     anything else: only the attempt with that id
 * @param sinceUnixNano only triplets whose call (merge: last turn) started at or after this time; rewards are
 *     still placed with the whole attempt in view, so an incremental export assigns them as a full one does
 * @param model only calls whose frontend or backend model is exactly this name
 * @param minReward only triplets with a reward at least this (unrewarded triplets are left out)
 * @param modelVersion only triplets whose {@code model_version} (merge: the last turn's) is exactly this
 * @param minVersion only triplets whose policy version number ({@link PolicyVersions#number}) is at least this
 *     version's number
 * @param maxStaleness only triplets whose version number is at most this many behind the newest version number
 *     among the exported attempts' calls
 */
public record ExportFilter(String rolloutId, String attempt, Long sinceUnixNano, String model, Double minReward,
    String modelVersion, String minVersion, Long maxStaleness) {

  public static final String LATEST = "latest";
  public static final String ALL = "all";

  /** Every rollout's latest attempt, unfiltered. */
  public static final ExportFilter LATEST_ATTEMPTS = new ExportFilter(null, LATEST, null, null, null);

  /** A filter without a model version condition. */
  public ExportFilter(String rolloutId, String attempt, Long sinceUnixNano, String model, Double minReward) {
    this(rolloutId, attempt, sinceUnixNano, model, minReward, null);
  }

  /** A filter without version-number conditions. */
  public ExportFilter(String rolloutId, String attempt, Long sinceUnixNano, String model, Double minReward,
      String modelVersion) {
    this(rolloutId, attempt, sinceUnixNano, model, minReward, modelVersion, null, null);
  }

  public ExportFilter {
    if (attempt == null || attempt.isBlank()) {
      attempt = LATEST;
    }
    if (minReward != null && minReward.isNaN()) {
      throw new IllegalArgumentException("minReward must be a number");
    }
    if (minVersion != null && PolicyVersions.number(minVersion) == null) {
      throw new IllegalArgumentException("min version '" + minVersion
          + "' has no version number: give an integer or a version ending in one (step-120, v3)");
    }
    if (maxStaleness != null && maxStaleness < 0) {
      throw new IllegalArgumentException("max staleness must be 0 or more, got " + maxStaleness);
    }
  }

  /** The same filter with version-number conditions. */
  public ExportFilter withVersions(String newMinVersion, Long newMaxStaleness) {
    return new ExportFilter(rolloutId, attempt, sinceUnixNano, model, minReward, modelVersion, newMinVersion,
        newMaxStaleness);
  }
}
