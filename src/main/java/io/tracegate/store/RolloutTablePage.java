package io.tracegate.store;

import java.util.List;

/**
 * A page of the rollouts list, newest activity first. {@code total} counts every rollout the filters keep;
 * {@code nextOffset} is the offset of the next page, null on the last one.
 */
public record RolloutTablePage(List<RolloutRow> rows, long total, Integer nextOffset) {
  public RolloutTablePage {
    rows = List.copyOf(rows);
  }

  public static RolloutTablePage of(List<RolloutRow> rows, long total, RolloutTableQuery query) {
    long next = (long) query.offset() + rows.size();
    return new RolloutTablePage(rows, total, next < total ? Integer.valueOf((int) next) : null);
  }
}
