package io.tracegate.dataset;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where exported triplets go, one at a time, so an export never holds a dataset in memory. Implementations
 * are not thread-safe: one exporter writes to one writer.
 */
public interface DatasetWriter extends Closeable {

  void write(Triplet triplet) throws IOException;

  /**
   * A row with its export context (ordinals, group statistics), which trainer layouts use; writers that need
   * only the triplet keep this default.
   */
  default void write(ExportRow row) throws IOException {
    write(row.triplet());
  }

  /** Triplets written so far. */
  long count();

  /** Finishes the output (Parquet writes its footer here) and closes the underlying stream. */
  @Override
  void close() throws IOException;
}
