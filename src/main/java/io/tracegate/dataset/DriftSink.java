package io.tracegate.dataset;

import java.io.IOException;

/** Where an export sends each {@link DriftCase} it finds (the {@code --drift-report} file), one at a time. */
@FunctionalInterface
public interface DriftSink {
  DriftSink NONE = c -> { };

  void accept(DriftCase driftCase) throws IOException;
}
