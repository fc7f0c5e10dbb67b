package io.tracegate.server;

import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.Recorder;
import io.tracegate.trace.Span;

/**
 * Where finished exchanges go: closes the exchange (first close wins, so each request yields exactly one
 * span) and hands it to the batching writer, which builds the span on its own thread. Never blocks, never
 * throws into the request path.
 */
public final class SpanSink {
  private final BatchingSpanWriter writer;
  private final Recorder recorder;
  private final SequenceAllocator sequences;

  public SpanSink(BatchingSpanWriter writer, Recorder recorder) {
    this(writer, recorder, null);
  }

  /** @param sequences told when a span carrying one of its ids is submitted (null: none to tell) */
  public SpanSink(BatchingSpanWriter writer, Recorder recorder, SequenceAllocator sequences) {
    this.writer = writer;
    this.recorder = recorder;
    this.sequences = sequences;
  }

  /** Ends the exchange with the given outcome and submits it; a no-op if it had already ended. */
  public void finish(Exchange ex, int clientStatus, String status, String message, String errorType) {
    if (ex.end(clientStatus, status, message, errorType)) {
      writer.submit(() -> recorder.build(ex));
      if (sequences != null && ex.sequenceId() != null) {
        sequences.release(ex.rolloutId());
      }
    }
  }

  public void ok(Exchange ex, int clientStatus) {
    finish(ex, clientStatus, Span.STATUS_OK, null, null);
  }
}
