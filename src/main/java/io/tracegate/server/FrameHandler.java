package io.tracegate.server;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Decides what the client receives for each upstream SSE frame: the frame itself (pass-through), nothing
 * (a hidden usage chunk), or translated frames. Called on the event loop, frame by frame, as they arrive.
 */
interface FrameHandler {
  /** @param frame the raw frame bytes incl. its terminating blank line */
  void onFrame(byte[] frame, Consumer<Buffer> toClient);

  /** The upstream stream ended normally; emit any closing frames. */
  default void onEnd(Consumer<Buffer> toClient) {}
}
