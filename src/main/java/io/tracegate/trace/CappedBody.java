package io.tracegate.trace;

import java.util.Arrays;

/**
 * What a span keeps of one body that may be larger than the recording cap ({@code store.max_recorded_body}):
 * its first {@code cap} bytes, its full size, and, once it is over the cap, the small top-level members a span
 * reads facts from ({@link TopLevelFacts}: id, model, usage, ...) wherever they are in the body, so usage that
 * an OpenAI answer puts after a huge {@code choices} is still recorded. Fed chunk by chunk as the body passes
 * through the gateway (or once with a whole body); nothing beyond the cap plus the facts is held.
 *
 * <p>Not thread-safe: one event loop feeds it, then it is handed to the writer thread with its exchange.
 */
public final class CappedBody {
  private final int cap;
  private byte[] head;
  private int headLength;
  private long size;
  private TopLevelFacts facts;

  public CappedBody(int cap) {
    if (cap <= 0) {
      throw new IllegalArgumentException("cap must be positive, got " + cap);
    }
    this.cap = cap;
    this.head = new byte[Math.min(cap, 8192)];
  }

  /** A recording of a whole body; {@code body} itself is not kept when it fits (a copy of the head is). */
  public static CappedBody of(byte[] body, int cap) {
    CappedBody b = new CappedBody(cap);
    b.append(body, 0, body.length);
    return b;
  }

  public void append(byte[] bytes, int offset, int length) {
    if (length <= 0) {
      return;
    }
    int keep = (int) Math.min(length, (long) cap - headLength);
    if (keep > 0) {
      if (headLength + keep > head.length) {
        head = Arrays.copyOf(head, (int) Math.min(cap, Math.max((long) head.length * 2, headLength + keep)));
      }
      System.arraycopy(bytes, offset, head, headLength, keep);
      headLength += keep;
    }
    size += length;
    if (size > cap) {
      if (facts == null) {
        // first time over the cap: read the structure of what is held, then follow the rest as it passes
        facts = new TopLevelFacts();
        facts.feed(head, 0, headLength);
      }
      if (keep < length) {
        facts.feed(bytes, offset + keep, length - keep);
      }
    }
  }

  /** True when the body was larger than the cap: {@link #head} is then only its beginning. */
  public boolean truncated() {
    return size > cap;
  }

  /** Bytes received. */
  public long size() {
    return size;
  }

  /**
   * The whole body when it was not truncated, else its first {@code cap} bytes; an array of exactly that
   * length (trimmed once, then the same array: do not change it).
   */
  public byte[] head() {
    if (headLength != head.length) {
      head = Arrays.copyOf(head, headLength);
    }
    return head;
  }

  /**
   * A JSON object of the top-level fact members of a truncated body (see {@link TopLevelFacts}), or null when
   * the body was not truncated or is not a JSON object.
   */
  public byte[] factsJson() {
    return facts == null ? null : facts.json();
  }
}
