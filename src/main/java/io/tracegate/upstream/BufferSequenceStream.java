package io.tracegate.upstream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A {@link ReadStream} over buffers already in memory, emitted asynchronously on one context with
 * back-pressure (pause/resume/fetch), like a network response. Used by the in-process mock backend so the
 * proxy path is the same for every backend.
 */
final class BufferSequenceStream implements ReadStream<Buffer> {
  private final Context context;
  private final ArrayDeque<Buffer> pending;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean scheduled;
  private boolean ended;
  private boolean cancelled;

  BufferSequenceStream(Context context, List<Buffer> buffers) {
    this.context = context;
    this.pending = new ArrayDeque<>(buffers);
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    this.handler = h;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    this.endHandler = h;
    schedule();
    return this;
  }

  /** Stops emitting; no end event follows. */
  void cancel() {
    cancelled = true;
    pending.clear();
  }

  private void schedule() {
    if (!scheduled && handler != null && !ended && !cancelled) {
      scheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    scheduled = false;
    while (!cancelled && demand > 0 && !pending.isEmpty()) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(pending.poll());
    }
    if (!cancelled && pending.isEmpty() && !ended && endHandler != null) {
      ended = true;
      endHandler.handle(null);
    }
  }
}
