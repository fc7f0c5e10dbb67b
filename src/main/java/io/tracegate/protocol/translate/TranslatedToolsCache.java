package io.tracegate.protocol.translate;

import io.tracegate.protocol.json.ByteHash;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translated {@code tools} arrays, by the exact bytes the client sent them as. An agent sends the same tools
 * on every call (Claude Code: ~47 KB of an 86 KB request), so a gateway translating its requests would
 * otherwise parse, translate and write them again each time. A hit needs the bytes to be equal, not only
 * their hash. Shared by every event loop; bounded by {@link #MAX_ENTRIES} arrays of at most
 * {@link #MAX_TOOLS_BYTES} each, and emptied when full (agents use a handful of tool sets).
 */
public final class TranslatedToolsCache {

  /** Distinct tool arrays kept. */
  public static final int MAX_ENTRIES = 32;
  /** Larger arrays are translated every time. */
  public static final int MAX_TOOLS_BYTES = 512 * 1024;

  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(byte[] source, TranslatedTools tools) {}

  /** The translation remembered for the tools array at {@code body[from, to)}, or null. */
  public TranslatedTools find(byte[] body, int from, int to) {
    Entry e = entries.get(ByteHash.of(body, from, to));
    return e != null && Arrays.equals(e.source(), 0, e.source().length, body, from, to) ? e.tools() : null;
  }

  /**
   * Remembers {@code tools} (best {@link TranslatedTools#written written}, so a hit costs no writing) as the
   * translation of the tools array at {@code body[from, to)}.
   */
  public void remember(byte[] body, int from, int to, TranslatedTools tools) {
    if (to - from > MAX_TOOLS_BYTES) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(ByteHash.of(body, from, to), new Entry(Arrays.copyOfRange(body, from, to), tools));
  }
}
