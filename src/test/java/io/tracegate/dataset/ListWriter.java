package io.tracegate.dataset;

import java.util.ArrayList;
import java.util.List;

/** A {@link DatasetWriter} for tests: collects what it is given. */
final class ListWriter implements DatasetWriter {
  final List<Triplet> rows = new ArrayList<>();

  @Override
  public void write(Triplet triplet) {
    rows.add(triplet);
  }

  @Override
  public long count() {
    return rows.size();
  }

  @Override
  public void close() {}
}
