package io.tracegate.upstream.mock;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The mock's simulation of Anthropic's prompt cache, process-wide: a bounded LRU of prompt-prefix hashes,
 * each alive until its TTL runs out (refreshed when read), as Anthropic documents its cache.
 *
 * <p>For a request ({@link CacheablePrompt}): the cache read is the longest prefix ending at a block that is
 * cached, looked up at each {@code cache_control} breakpoint and up to {@link #LOOKBACK_BLOCKS} blocks before
 * it; the part from there to the last breakpoint is written (split by the TTL of the breakpoint each stretch
 * ends at), and every breakpoint's prefix becomes an entry; the rest of the prompt is uncached input. A prefix
 * shorter than {@link #MIN_CACHEABLE_TOKENS} is neither written nor read (then the request writes nothing).
 *
 * <p>Memory: an entry is a 64-bit prefix hash and its expiry (no prompt text is kept), at most
 * {@link #MAX_ENTRIES} of them (least recently used evicted first), so the cache holds at most a few MB.
 * Thread-safe.
 */
public final class PromptCache {

  /** Anthropic's minimum cacheable prompt length for Claude Sonnet, here in the mock's toy tokens. */
  public static final int MIN_CACHEABLE_TOKENS = 1024;
  /** How many blocks before a breakpoint are checked for a cached prefix (Anthropic: 20). */
  public static final int LOOKBACK_BLOCKS = 20;
  /** Entries kept at most; beyond, the least recently used go. */
  public static final int MAX_ENTRIES = 65_536;

  /** The one cache all mock backends of the process share (like one provider account). */
  static final PromptCache SHARED = new PromptCache(System::currentTimeMillis, MAX_ENTRIES);

  /** A request's prompt split the way Anthropic's usage reports it. */
  public record Use(long uncached, long read, long write5m, long write1h) {
    public long written() {
      return write5m + write1h;
    }
  }

  private final LongSupplier clock;
  /** Prefix hash -> {expiry, TTL} in milliseconds. */
  private final Map<Long, long[]> expiries;

  PromptCache(LongSupplier clockMillis, int maxEntries) {
    this.clock = clockMillis;
    this.expiries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Looks {@code prompt} up, records what it writes, and says how its tokens split. */
  synchronized Use use(CacheablePrompt prompt) {
    long now = clock.getAsLong();
    List<CacheablePrompt.Block> blocks = prompt.blocks();
    int last = -1;
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).breakpoint() != null) {
        last = i;
      }
    }
    int hit = -1;
    for (int i = 0; i <= last; i++) {
      CacheablePrompt.Block bp = blocks.get(i);
      if (bp.breakpoint() == null) {
        continue;
      }
      for (int j = i; j >= 0 && j > i - LOOKBACK_BLOCKS && j > hit; j--) {
        if (alive(blocks.get(j).prefixHash(), now)) {
          hit = j;
          break;
        }
      }
    }
    long read = hit < 0 ? 0 : blocks.get(hit).prefixTokens();
    long write5m = 0;
    long write1h = 0;
    if (last > hit && blocks.get(last).prefixTokens() >= MIN_CACHEABLE_TOKENS) {
      long from = read;
      for (int i = hit + 1; i <= last; i++) {
        CacheablePrompt.Block b = blocks.get(i);
        if (b.breakpoint() == null) {
          continue;
        }
        long stretch = b.prefixTokens() - from;
        if (b.breakpoint() == CacheablePrompt.Ttl.ONE_HOUR) {
          write1h += stretch;
        } else {
          write5m += stretch;
        }
        from = b.prefixTokens();
        if (b.prefixTokens() >= MIN_CACHEABLE_TOKENS) {
          expiries.put(b.prefixHash(), new long[] {now + b.breakpoint().millis, b.breakpoint().millis});
        }
      }
    }
    if (hit >= 0) {
      long[] entry = expiries.get(blocks.get(hit).prefixHash());
      if (entry != null) { // (unless the writes above just evicted it)
        entry[0] = now + entry[1]; // a read refreshes the entry's TTL
      }
    }
    return new Use(prompt.tokens() - read - write5m - write1h, read, write5m, write1h);
  }

  /** Entries held now (expired ones included until they are looked up or evicted). */
  synchronized int size() {
    return expiries.size();
  }

  private boolean alive(long hash, long now) {
    long[] entry = expiries.get(hash);
    if (entry == null) {
      return false;
    }
    if (entry[0] <= now) {
      expiries.remove(hash);
      return false;
    }
    return true;
  }
}
