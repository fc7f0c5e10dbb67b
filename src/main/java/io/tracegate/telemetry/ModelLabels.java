package io.tracegate.telemetry;

import io.tracegate.config.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} label of a request: the configured frontend name it matched (an exact name, or the glob
 * itself), or {@link Metrics#OTHER} for a name no model matches, so a client cannot create label values. Each label
 * has an index (config order, {@code other} last) that meters use to find their pre-registered series. Immutable.
 */
final class ModelLabels {
  private final List<String> labels = new ArrayList<>();
  private final Map<String, Integer> exact = new HashMap<>();
  private final List<String> globs = new ArrayList<>();
  private final List<Integer> globIndex = new ArrayList<>();

  ModelLabels(List<String> models) {
    for (String m : models) {
      if (labels.contains(m)) {
        continue;
      }
      int i = labels.size();
      labels.add(m);
      if (Glob.isGlob(m)) {
        globs.add(m);
        globIndex.add(i);
      } else {
        exact.put(m, i);
      }
    }
    labels.add(Metrics.OTHER);
  }

  /** Number of label values, {@code other} included. */
  int size() {
    return labels.size();
  }

  String label(int index) {
    return labels.get(index);
  }

  /** The index of the label for a frontend model name (null: other), matched like the model router does. */
  int indexOf(String model) {
    if (model == null) {
      return labels.size() - 1;
    }
    Integer i = exact.get(model);
    if (i != null) {
      return i;
    }
    for (int g = 0; g < globs.size(); g++) {
      if (Glob.matches(globs.get(g), model)) {
        return globIndex.get(g);
      }
    }
    return labels.size() - 1;
  }
}
