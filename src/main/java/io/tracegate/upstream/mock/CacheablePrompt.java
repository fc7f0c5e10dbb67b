package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request as Anthropic's prompt cache sees it: its blocks in cache order (each tool,
 * then each system block, then each message's content blocks), each with its toy token count, the hash of
 * the whole prompt up to and including it, and the TTL of a {@code cache_control} breakpoint on it (null
 * when it has none).
 *
 * <p>A block's identity is its compact JSON without {@code cache_control} (moving a breakpoint does not change
 * the prompt; a string {@code system} or {@code content} counts as the one text block it stands for); the first
 * block of a message also carries the message's role. Token counts use the
 * {@link ToyTokenizer}: a text block (or a string system prompt / message content) counts its text, any other
 * block (tool definitions, tool_use, tool_result, images) its compact JSON, and each message adds
 * {@link #MESSAGE_FRAMING_TOKENS} for its role framing.
 */
final class CacheablePrompt {

  /** Anthropic accepts at most this many {@code cache_control} breakpoints in one request. */
  static final int MAX_BREAKPOINTS = 4;

  /** Tokens a message's role framing costs, on top of its content (as a chat template's markers would). */
  static final int MESSAGE_FRAMING_TOKENS = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FNV_PRIME = 0x100000001b3L;

  /** One block: its tokens, the prompt's hash and token count up to and including it, its breakpoint TTL. */
  record Block(int tokens, long prefixHash, long prefixTokens, Ttl breakpoint) {}

  /** The TTL of a {@code cache_control} breakpoint: {@code "5m"} (Anthropic's default) or {@code "1h"}. */
  enum Ttl {
    FIVE_MINUTES(5 * 60_000L), ONE_HOUR(60 * 60_000L);

    final long millis;

    Ttl(long millis) {
      this.millis = millis;
    }

    static Ttl of(JsonNode cacheControl) {
      if (cacheControl == null || !cacheControl.isObject()) {
        return null;
      }
      return "1h".equals(cacheControl.path("ttl").asText()) ? ONE_HOUR : FIVE_MINUTES;
    }
  }

  private final List<Block> blocks = new ArrayList<>();
  private long hash;
  private long tokens;

  private CacheablePrompt(String model) {
    hash = 0xcbf29ce484222325L;
    feed("model:" + model + "\n");
  }

  /**
   * The blocks of {@code request} (an Anthropic Messages body) for {@code model}: caches are per model.
   *
   * @throws IllegalArgumentException with Anthropic's message when the request has more than
   *     {@link #MAX_BREAKPOINTS} breakpoints (Anthropic answers 400 {@code invalid_request_error})
   */
  static CacheablePrompt of(JsonNode request, String model) {
    CacheablePrompt p = blocksOf(request, model);
    long breakpoints = p.blocks.stream().filter(b -> b.breakpoint() != null).count();
    if (breakpoints > MAX_BREAKPOINTS) {
      throw new IllegalArgumentException("A maximum of " + MAX_BREAKPOINTS
          + " blocks with cache_control may be provided. Found " + breakpoints + ".");
    }
    return p;
  }

  private static CacheablePrompt blocksOf(JsonNode request, String model) {
    CacheablePrompt p = new CacheablePrompt(model);
    p.feed("tools\n");
    for (JsonNode tool : request.path("tools")) {
      p.add(null, tool, false);
    }
    p.feed("system\n");
    JsonNode system = request.get("system");
    if (system != null && system.isTextual()) {
      p.add(null, textBlock(system), true);
    } else if (system != null && system.isArray()) {
      for (JsonNode block : system) {
        p.add(null, block, true);
      }
    }
    p.feed("messages\n");
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText("user");
      JsonNode content = message.get("content");
      if (content != null && content.isArray() && !content.isEmpty()) {
        boolean first = true;
        for (JsonNode block : content) {
          p.add(first ? role : null, block, true);
          first = false;
        }
      } else if (content != null && content.isTextual()) {
        p.add(role, textBlock(content), true);
      } else {
        p.add(role, content == null ? JSON.nullNode() : content, true);
      }
    }
    return p;
  }

  /** A string prompt part is the one text block it stands for: marking it for the cache changes nothing. */
  private static JsonNode textBlock(JsonNode text) {
    return JSON.createObjectNode().put("type", "text").put("text", text.asText());
  }

  List<Block> blocks() {
    return blocks;
  }

  /** Tokens of the whole prompt. */
  long tokens() {
    return tokens;
  }

  private void add(String messageRole, JsonNode block, boolean textAsText) {
    JsonNode identity = block;
    Ttl ttl = null;
    if (block.isObject() && block.has("cache_control")) {
      ttl = Ttl.of(block.get("cache_control"));
      ObjectNode copy = ((ObjectNode) block).deepCopy();
      copy.remove("cache_control");
      identity = copy;
    }
    String json = identity.toString();
    int count;
    if (textAsText && block.isTextual()) {
      count = ToyTokenizer.split(block.asText()).size();
    } else if (textAsText && "text".equals(block.path("type").asText()) && block.path("text").isTextual()) {
      count = ToyTokenizer.split(block.path("text").asText()).size();
    } else {
      count = ToyTokenizer.split(json).size();
    }
    if (messageRole != null) {
      count += MESSAGE_FRAMING_TOKENS;
      feed("role:" + messageRole + "\n");
    }
    feed(json);
    feed("\n");
    tokens += count;
    blocks.add(new Block(count, hash, tokens, ttl));
  }

  private void feed(String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= FNV_PRIME;
    }
  }
}
