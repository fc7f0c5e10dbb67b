package io.tracegate.report;

import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds, call after call of one rollout, where each prompt stopped extending the previous one ({@link PromptParts}).
 * Keeps only the previous call's prompt. Calls arrive in start order, which is their sequence order for an agent
 * that waits for each answer before the next call.
 */
final class CacheBreakFinder {
  private final List<CacheBreak> breaks = new ArrayList<>();
  private PromptParts previous;
  private Long previousSequence;
  private boolean first = true;

  void add(Span call) {
    PromptParts parts = PromptParts.of(call.request());
    Usage u = call.usage() == null ? Usage.EMPTY : call.usage();
    if (!first) {
      String where;
      Long offset = null;
      Long partOffset = null;
      boolean extendsPrevious = false;
      if (parts == null || previous == null) {
        where = "unknown";
      } else {
        PromptParts.Divergence d = parts.divergenceFrom(previous);
        if (d == null) {
          where = null;
          extendsPrevious = true;
        } else {
          where = d.where();
          offset = d.byteOffset();
          partOffset = d.partByteOffset();
        }
      }
      breaks.add(new CacheBreak(call.sequenceId(), call.spanId(), previousSequence, where, offset, partOffset,
          extendsPrevious, u.cacheReadInputTokens(), u.cacheCreationInputTokens(), u.inputTokens()));
    }
    first = false;
    previous = parts;
    previousSequence = call.sequenceId();
  }

  List<CacheBreak> breaks() {
    return breaks;
  }
}
