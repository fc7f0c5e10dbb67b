package io.tracegate.protocol.translate;

import io.tracegate.protocol.json.ByteHash;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translations of one member of a request ({@code tools}, {@code system}), by the exact bytes the client sent
 * it as. An agent sends the same system prompt and tools on every call (Claude Code: 27 KB and 47 KB of an
 * 86 KB request), so a gateway translating its requests would otherwise parse, translate and write them
 * again each time. A hit needs the bytes to be equal, not only their hash. Shared by every event loop;
 * bounded by {@link #MAX_ENTRIES} values of at most {@link #MAX_VALUE_BYTES} each, and emptied when full
 * (agents use a handful of prompts and tool sets).
 *
 * @param <T> the translation, immutable (it goes into many requests)
 */
public final class TranslationCache<T> {

  /** Distinct values kept. */
  public static final int MAX_ENTRIES = 32;
  /** Larger values are translated every time. */
  public static final int MAX_VALUE_BYTES = 512 * 1024;

  private final Map<Long, Entry<T>> entries = new ConcurrentHashMap<>();

  private record Entry<T>(byte[] source, T translation) {}

  /** The translation remembered for the value at {@code body[from, to)}, or null. */
  public T find(byte[] body, int from, int to) {
    Entry<T> e = entries.get(ByteHash.of(body, from, to));
    return e != null && Arrays.equals(e.source(), 0, e.source().length, body, from, to) ? e.translation() : null;
  }

  /** Remembers {@code translation} (best already written, so a hit costs no writing) for {@code body[from, to)}. */
  public void remember(byte[] body, int from, int to, T translation) {
    if (to - from > MAX_VALUE_BYTES) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(ByteHash.of(body, from, to), new Entry<>(Arrays.copyOfRange(body, from, to), translation));
  }
}
