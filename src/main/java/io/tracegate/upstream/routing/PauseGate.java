package io.tracegate.upstream.routing;

import io.tracegate.upstream.Cancellation;
import io.tracegate.upstream.UpstreamException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pause / resume for weight sync: one gate for the whole gateway, shared by every event loop. A request passes
 * it after its model is routed and before a backend is chosen. While the gate is paused for its model, a
 * request is held (it waits on a future, never blocking its event loop) or rejected; a resume releases the held
 * requests with the new policy version. Requests that passed the gate count as in flight until their response
 * ends, so a trainer can pause, wait for {@link #inFlight()} to reach 0, update weights and resume.
 *
 * <p>Thread-safe and lock-free. A request counts itself in flight BEFORE it reads the state, and a pause writes
 * the state before anyone reads the count: so once {@link #pause} has returned, every request that will still be
 * served by the old weights is in {@link #inFlight()} (a request that reads "paused" takes itself out again).
 * Held requests are completed on their own event loop ({@code runOnContext}), whichever thread resumes.
 */
public final class PauseGate {
  private final long holdMillis;
  private final long retryAfterSeconds;
  private final AtomicReference<PauseState> state = new AtomicReference<>(PauseState.OPEN);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final LongAdder rejected = new LongAdder();

  /**
   * @param holdTimeout longest a held request waits before it is answered 503 ({@code pause.hold_timeout})
   * @param retryAfter what {@code retry-after} says on a refusal (rounded up to whole seconds, at least 1)
   */
  public PauseGate(Duration holdTimeout, Duration retryAfter) {
    this.holdMillis = holdTimeout.toMillis();
    this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  /** Lets a request that passed the gate be counted until it finishes. */
  public static final class Permit {
    private final String modelVersion;
    private final AtomicInteger counter;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String modelVersion, AtomicInteger counter) {
      this.modelVersion = modelVersion;
      this.counter = counter;
    }

    /** The version set by the last resume when the request passed (null when none). */
    public String modelVersion() {
      return modelVersion;
    }

    /** The request has finished (response ended, or client gone); idempotent. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        counter.decrementAndGet();
      }
    }
  }

  /**
   * Lets a request through, holds it, or refuses it. On the request's event loop.
   *
   * @param clientModel the model name the client sent
   * @param configuredName the {@code name} of the configured model entry that serves it (may be a glob)
   * @param context the request's event loop, where a held request is completed
   * @param cancellation fired when the client goes away: a held request then stops waiting (fails with a
   *     cancelled {@link UpstreamException}; the caller has already recorded the disconnect)
   * @return a permit to {@link Permit#release()} when the request finishes, or a {@link PausedException}
   */
  public Future<Permit> admit(String clientModel, String configuredName, Context context,
      Cancellation cancellation) {
    inFlight.incrementAndGet();
    PauseState s = state.get();
    if (!s.stops(clientModel, configuredName)) {
      return Future.succeededFuture(new Permit(s.modelVersion(), inFlight));
    }
    inFlight.decrementAndGet();
    if (s.mode() == PauseMode.REJECT) {
      return Future.failedFuture(rejectedNow());
    }
    Held h = new Held(clientModel, configuredName, context, cancellation, System.nanoTime());
    cancellation.onCancel(() -> {
      if (held.remove(h)) {
        context.owner().cancelTimer(h.timer);
        h.promise.tryFail(new UpstreamException(UpstreamException.Reason.CANCELLED,
            "the client left while its request was held by a pause", null));
      }
    });
    hold(h);
    return h.promise.future();
  }

  /**
   * Pauses new requests for {@code models} (null: every model) in {@code mode}; replaces an earlier pause's
   * settings (held requests are looked at again: they may now pass, or be refused). The version is kept.
   */
  public PauseState pause(PauseMode mode, List<String> models) {
    PauseState next = state.updateAndGet(s -> new PauseState(true, mode, models, s.modelVersion()));
    reconsiderHeld();
    return next;
  }

  /**
   * Opens the gate and releases every held request.
   *
   * @param setVersion whether to change the model version ({@code version}, null clears it) or keep it
   */
  public PauseState resume(boolean setVersion, String version) {
    PauseState next = state.updateAndGet(s -> new PauseState(false, null, null, setVersion ? version : s.modelVersion()));
    reconsiderHeld();
    return next;
  }

  public PauseState state() {
    return state.get();
  }

  /** Requests that passed the gate and have not finished, gateway-wide. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Requests waiting in the gate now. */
  public int held() {
    return held.size();
  }

  /** Requests refused by a pause in reject mode, since start. */
  public long rejected() {
    return rejected.sum();
  }

  private PausedException rejectedNow() {
    rejected.increment();
    return new PausedException(PausedException.Reason.REJECTED,
        "the gateway is paused (a trainer is updating the model); retry after " + retryAfterSeconds + " s",
        retryAfterSeconds);
  }

  /** Puts {@code h} in the waiting set until a state change or its deadline. On its event loop. */
  private void hold(Held h) {
    long left = holdMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - h.sinceNanos);
    if (left <= 0) {
      expire(h);
      return;
    }
    held.add(h);
    h.timer = h.context.owner().setTimer(left, id -> {
      if (held.remove(h)) {
        expire(h);
      }
    });
    // a state change between the caller's read and add() did not see h: look again (whoever removes h owns it)
    if (!state.get().stops(h.clientModel, h.configuredName) && held.remove(h)) {
      h.context.owner().cancelTimer(h.timer);
      reconsider(h);
    }
  }

  private void expire(Held h) {
    long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - h.sinceNanos);
    h.promise.tryFail(new PausedException(PausedException.Reason.HOLD_EXPIRED, "the request was held " + waited
        + " s while the gateway was paused and no resume came within pause.hold_timeout ("
        + TimeUnit.MILLISECONDS.toSeconds(holdMillis) + " s)", retryAfterSeconds));
  }

  /** After a state change: every held request decides again, on its own event loop. */
  private void reconsiderHeld() {
    for (Held h : held) {
      if (held.remove(h)) {
        h.context.owner().cancelTimer(h.timer);
        h.context.runOnContext(v -> reconsider(h));
      }
    }
  }

  /** A held request out of the waiting set: passes, is refused, or waits again. On its event loop. */
  private void reconsider(Held h) {
    if (h.cancellation.cancelled()) {
      h.promise.tryFail(new UpstreamException(UpstreamException.Reason.CANCELLED,
          "the client left while its request was held by a pause", null));
      return;
    }
    inFlight.incrementAndGet();
    PauseState s = state.get();
    if (!s.stops(h.clientModel, h.configuredName)) {
      if (!h.promise.tryComplete(new Permit(s.modelVersion(), inFlight))) {
        inFlight.decrementAndGet();
      }
      return;
    }
    inFlight.decrementAndGet();
    if (s.mode() == PauseMode.REJECT) {
      h.promise.tryFail(rejectedNow());
    } else {
      hold(h);
    }
  }

  /** A request waiting in the gate. */
  private static final class Held {
    final String clientModel;
    final String configuredName;
    final Context context;
    final Cancellation cancellation;
    final long sinceNanos;
    final Promise<Permit> promise = Promise.promise();
    volatile long timer = -1;

    Held(String clientModel, String configuredName, Context context, Cancellation cancellation, long sinceNanos) {
      this.clientModel = clientModel;
      this.configuredName = configuredName;
      this.context = context;
      this.cancellation = cancellation;
      this.sinceNanos = sinceNanos;
    }
  }
}
