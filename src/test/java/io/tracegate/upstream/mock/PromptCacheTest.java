package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The mock's prompt cache on a clock the test moves: entries live for their TTL (5m or 1h) and a read
 * refreshes it; the cache holds a bounded number of entries (least recently used evicted); caches are per
 * model; a breakpoint more than 20 blocks after the cached prefix does not find it.
 */
class PromptCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MINUTE = 60_000L;

  private final AtomicLong now = new AtomicLong(1_000_000L);

  @Test
  void fiveMinuteEntriesExpireUnlessReadAndOneHourEntriesOutliveThem() {
    PromptCache cache = new PromptCache(now::get, 100);
    CacheablePrompt fiveMin = prompt("a", "5m", "model");
    CacheablePrompt oneHour = prompt("b", "1h", "model");
    assertThat(cache.use(fiveMin)).isEqualTo(new PromptCache.Use(0, 0, 1200, 0));
    assertThat(cache.use(oneHour)).isEqualTo(new PromptCache.Use(0, 0, 0, 1200));

    now.addAndGet(4 * MINUTE);
    assertThat(cache.use(fiveMin).read()).isEqualTo(1200); // read at 4 min: alive until 9 min
    now.addAndGet(4 * MINUTE);
    assertThat(cache.use(fiveMin).read()).isEqualTo(1200);
    now.addAndGet(5 * MINUTE + 1);
    assertThat(cache.use(fiveMin)).isEqualTo(new PromptCache.Use(0, 0, 1200, 0)); // expired: written again
    assertThat(cache.use(oneHour).read()).isEqualTo(1200);
    now.addAndGet(61 * MINUTE);
    assertThat(cache.use(oneHour).read()).isZero();
  }

  @Test
  void boundedEntriesEvictTheLeastRecentlyUsed() {
    PromptCache cache = new PromptCache(now::get, 3);
    for (String s : new String[] {"a", "b", "c"}) {
      cache.use(prompt(s, "5m", "model"));
    }
    assertThat(cache.use(prompt("a", "5m", "model")).read()).isEqualTo(1200); // a is now the most recent
    cache.use(prompt("d", "5m", "model")); // evicts b
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.use(prompt("a", "5m", "model")).read()).isEqualTo(1200);
    assertThat(cache.use(prompt("b", "5m", "model")).read()).isZero();
  }

  @Test
  void aStringContentIsTheTextBlockItStandsFor() {
    PromptCache cache = new PromptCache(now::get, 100);
    ObjectNode marked = request("a", "5m");
    marked.withArray("messages").addObject().put("role", "user").putArray("content").addObject()
        .put("type", "text").put("text", "hello").putObject("cache_control").put("type", "ephemeral");
    assertThat(cache.use(CacheablePrompt.of(marked, "m")).write5m()).isEqualTo(1200 + 4);
    ObjectNode plain = request("a", "5m");
    plain.withArray("messages").addObject().put("role", "user").put("content", "hello");
    plain.withArray("messages").addObject().put("role", "user").putArray("content").addObject()
        .put("type", "text").put("text", "more").putObject("cache_control").put("type", "ephemeral");
    assertThat(cache.use(CacheablePrompt.of(plain, "m"))).isEqualTo(new PromptCache.Use(0, 1204, 4, 0));
  }

  @Test
  void cachesArePerModel() {
    PromptCache cache = new PromptCache(now::get, 100);
    cache.use(prompt("a", "5m", "claude-sonnet-4-6"));
    assertThat(cache.use(prompt("a", "5m", "claude-opus-4-6")).read()).isZero();
    assertThat(cache.use(prompt("a", "5m", "claude-sonnet-4-6")).read()).isEqualTo(1200);
  }

  @Test
  void aBreakpointLooksBackTwentyBlocksAtMost() {
    PromptCache cache = new PromptCache(now::get, 100);
    // the system block written, then unmarked: only the last message's breakpoint looks for it
    cache.use(prompt("a", "5m", "m"));
    cache.use(prompt("b", "5m", "m"));
    assertThat(cache.use(afterTurns("a", 18)).read()).isEqualTo(1200); // 20 blocks back: found
    PromptCache.Use far = cache.use(afterTurns("b", 19)); // 21 blocks back: not found
    assertThat(far.read()).isZero();
    assertThat(far.write5m()).isEqualTo(1200 + 19 * 4 + 4);
  }

  /**
   * After a first call that wrote the system prompt {@code word...}: the same system prompt unmarked, {@code
   * turns} unmarked messages of 4 tokens, then a marked user message of 4 tokens.
   */
  private CacheablePrompt afterTurns(String word, int turns) {
    ObjectNode request = request(word, "5m");
    ((ObjectNode) request.get("system").get(0)).remove("cache_control");
    ArrayNode messages = (ArrayNode) request.get("messages");
    for (int i = 0; i < turns; i++) {
      messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", "turn");
    }
    messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", "last")
        .putObject("cache_control").put("type", "ephemeral");
    return CacheablePrompt.of(request, "m");
  }

  /** A system prompt of 1200 toy tokens (the word {@code word} then 1199 times " w"), marked with {@code ttl}. */
  private static CacheablePrompt prompt(String word, String ttl, String model) {
    return CacheablePrompt.of(request(word, ttl), model);
  }

  private static ObjectNode request(String word, String ttl) {
    ObjectNode request = JSON.createObjectNode();
    request.putArray("system").addObject().put("type", "text").put("text", word + " w".repeat(1199))
        .putObject("cache_control").put("type", "ephemeral").put("ttl", ttl);
    request.putArray("messages");
    return request;
  }
}
