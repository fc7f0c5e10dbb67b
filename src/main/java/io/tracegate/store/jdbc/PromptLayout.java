package io.tracegate.store.jdbc;

/**
 * How a span's prompt token ids are stored: {@code ids} alone (no base), or the first {@code prefixLength}
 * ids of {@code baseSpanId}'s context followed by {@code ids}.
 */
record PromptLayout(int[] ids, String baseSpanId, int prefixLength) {

  static PromptLayout whole(int[] prompt) {
    return new PromptLayout(prompt, null, 0);
  }
}
