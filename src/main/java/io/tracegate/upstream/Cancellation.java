package io.tracegate.upstream;

/**
 * Lets the caller abandon an upstream call at any stage: waiting for a connection, waiting for the response
 * headers, or reading the body. The backend registers what cancelling means at each stage (leave the wait
 * queue, reset the request); cancelling before anything is registered runs it as soon as it is. Confined to
 * the call's event loop.
 */
public final class Cancellation {
  private Runnable action;
  private boolean cancelled;

  /** Abandons the call; idempotent. */
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    Runnable a = action;
    action = null;
    if (a != null) {
      a.run();
    }
  }

  public boolean cancelled() {
    return cancelled;
  }

  /**
   * What cancelling does from now on (replaces the previous stage's action: the pause gate while a request is
   * held, then the backend's stages); runs at once if already cancelled.
   */
  public void onCancel(Runnable a) {
    if (cancelled) {
      a.run();
    } else {
      action = a;
    }
  }

  UpstreamException exception(String backend) {
    return new UpstreamException(UpstreamException.Reason.CANCELLED, "call to " + backend
        + " cancelled by the gateway", null);
  }
}
