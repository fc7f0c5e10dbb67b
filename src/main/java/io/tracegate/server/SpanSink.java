package io.tracegate.server;

import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.telemetry.Metrics;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.Recorder;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import java.util.List;

/**
 * Where finished exchanges go: closes the exchange (first close wins, so each request yields exactly one
 * span) and hands it to the batching writer, which builds the span on its own thread. Never blocks, never
 * throws into the request path. With {@link Metrics}, the request's latencies are recorded here (pre-resolved
 * histograms) and its token usage and cost where the writer builds the span, off the event loop.
 */
public final class SpanSink {
  private final BatchingSpanWriter writer;
  private final Recorder recorder;
  private final SequenceIds sequences;
  private final Metrics metrics;

  public SpanSink(BatchingSpanWriter writer, Recorder recorder) {
    this(writer, recorder, null, null);
  }

  /**
   * @param sequences told when a span carrying one of its ids is submitted (null: none to tell)
   * @param metrics where request latencies, tokens and costs are counted (null: nowhere)
   */
  public SpanSink(BatchingSpanWriter writer, Recorder recorder, SequenceIds sequences, Metrics metrics) {
    this.writer = writer;
    this.recorder = recorder;
    this.sequences = sequences;
    this.metrics = metrics;
  }

  /** Ends the exchange with the given outcome and submits it; a no-op if it had already ended. */
  public void finish(Exchange ex, int clientStatus, String status, String message, String errorType) {
    if (ex.end(clientStatus, status, message, errorType)) {
      if (metrics == null) {
        writer.submit(() -> recorder.build(ex));
      } else {
        observe(ex);
        writer.submit(() -> {
          Span span = recorder.build(ex);
          metrics.usage().record(span);
          return span;
        });
      }
      if (sequences != null && ex.sequenceId() != null) {
        sequences.release(ex.rolloutId());
      }
    }
  }

  public void ok(Exchange ex, int clientStatus) {
    finish(ex, clientStatus, Span.STATUS_OK, null, null);
  }

  /** The request's latencies, labelled by the backend of its last attempt (the one whose answer it got). */
  private void observe(Exchange ex) {
    long start = ex.startUnixNano();
    Long firstToken = ex.firstTokenUnixNano();
    List<UpstreamAttempt> attempts = ex.attempts();
    UpstreamAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    metrics.requests().record(ex.frontendModel(), last == null ? ex.backendName() : last.backend(),
        ex.httpStatus(), ex.endUnixNano() - start, firstToken == null ? -1 : firstToken - start,
        last == null ? -1 : last.durationMs() * 1_000_000L);
  }
}
