package io.tracegate.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The SSE data payloads of one stream that a span keeps: every payload while they total at most the recording
 * cap, then only the last {@link #TAIL_PAYLOADS} (at most {@link #TAIL_BYTES}), which carry the finish reason
 * and usage. Payloads in between are counted, not kept. Not thread-safe, like {@link Exchange}.
 */
final class CappedPayloads {
  static final int TAIL_PAYLOADS = 16;
  static final int TAIL_BYTES = 1 << 20;

  private final List<byte[]> head = new ArrayList<>();
  private ArrayDeque<byte[]> tail;
  private long tailBytes;
  private long bytes;
  private int count;
  private int dropped;

  void add(byte[] data, int cap) {
    count++;
    if (tail == null && bytes + data.length <= cap) {
      head.add(data);
    } else {
      if (tail == null) {
        tail = new ArrayDeque<>();
      }
      if (data.length > TAIL_BYTES) {
        dropped++; // one payload larger than the whole tail: not kept
      } else {
        tail.addLast(data);
        tailBytes += data.length;
        while (tail.size() > 1 && (tail.size() > TAIL_PAYLOADS || tailBytes > TAIL_BYTES)) {
          tailBytes -= tail.removeFirst().length;
          dropped++;
        }
      }
    }
    bytes += data.length;
  }

  /** The kept payloads in arrival order. */
  List<byte[]> kept() {
    if (tail == null) {
      return head;
    }
    List<byte[]> all = new ArrayList<>(head.size() + tail.size());
    all.addAll(head);
    all.addAll(tail);
    return all;
  }

  boolean any() {
    return count > 0;
  }

  /** True when payloads were received but not kept. */
  boolean truncated() {
    return dropped > 0;
  }

  long bytes() {
    return bytes;
  }

  int count() {
    return count;
  }
}
