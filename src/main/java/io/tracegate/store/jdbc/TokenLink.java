package io.tracegate.store.jdbc;

/**
 * The token ids of one stored row: its prompt is the first {@code prefixLength} ids of the context of
 * {@code baseSpanId} (that span's full prompt followed by its response ids) and then {@code suffix}; with no
 * base, {@code suffix} is the whole prompt. {@code response} is always complete (null when absent).
 */
record TokenLink(String spanId, String baseSpanId, int prefixLength, int[] suffix, int[] response) {

  int promptLength() {
    return prefixLength + suffix.length;
  }

  int responseLength() {
    return response == null ? 0 : response.length;
  }

  int contextLength() {
    return promptLength() + responseLength();
  }
}
