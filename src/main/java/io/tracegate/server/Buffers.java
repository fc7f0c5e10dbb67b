package io.tracegate.server;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Buffers over byte arrays the gateway has finished writing. */
final class Buffers {
  private Buffers() {}

  /**
   * A buffer over {@code bytes} without copying them ({@code Buffer.buffer(byte[])} copies: one more 86 KB
   * allocation and copy per Claude Code-sized request on the event loop). The array must not change
   * afterwards. Unreleasable, like the buffers Vert.x allocates itself, so writing it never frees it.
   */
  static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
  }
}
