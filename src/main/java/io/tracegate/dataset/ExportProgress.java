package io.tracegate.dataset;

/** Called by {@link DatasetExporter} on its own thread after each rollout (and once before the first). */
@FunctionalInterface
public interface ExportProgress {

  ExportProgress NONE = (done, total) -> { };

  /**
   * @param rolloutsDone rollouts exported so far
   * @param rolloutsTotal rollouts counted at the start; grows to {@code rolloutsDone} when rollouts appear
   *     during the export
   */
  void onProgress(long rolloutsDone, long rolloutsTotal);
}
