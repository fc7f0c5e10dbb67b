package io.tracegate.store;

import io.tracegate.trace.Span;
import java.util.List;

/** A page of spans; {@code nextCursor} is null on the last page. */
public record SpanPage(List<Span> spans, String nextCursor) {
  public SpanPage {
    spans = List.copyOf(spans);
  }
}
