package io.tracegate.protocol.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * ESTIMATES the input tokens of an Anthropic Messages request, for {@code POST /v1/messages/count_tokens}
 * when the backend cannot count them itself (it is not Anthropic).
 *
 * <p>Claude's tokenizer is not public, so the count is an estimate: text (system, message text,
 * thinking, tool_use name and input JSON, tool_result content, tool names, descriptions and input
 * schemas as compact JSON) is counted with jtokkit's {@code cl100k_base}, or with
 * {@code ceil(chars / 4)} when that encoding cannot be loaded; each message adds
 * {@value #PER_MESSAGE} tokens of framing; each image {@value #PER_IMAGE} (Anthropic's cost of an
 * image at the size limit); each base64 or URL document {@value #PER_DOCUMENT}; with tools, the tool-use system
 * prompt Anthropic adds ({@value #TOOLS_AUTO} tokens for auto/none, {@value #TOOLS_FORCED} for
 * any/tool). Unknown blocks are counted as their compact JSON. Thread-safe.
 *
 * <p>CPU-bound: about 20 ms for the 86 KB first request of a Claude Code session (13.7k tokens) on
 * a 2-core machine, and about 1 s to load the encoding on first use. Call it on a worker thread,
 * never on an event loop; {@link #warmUp()} loads the encoding ahead of the first request.
 */
public final class TokenEstimator {

    static final int PER_MESSAGE = 3;
    static final int PER_IMAGE = 1600;
    static final int PER_DOCUMENT = 2000;
    static final int TOOLS_AUTO = 346;
    static final int TOOLS_FORCED = 313;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenEstimator() {
    }

    /** The {@code count_tokens} response body: {@code {"input_tokens": N}}. */
    public static ObjectNode countTokens(JsonNode anthropicRequest) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("input_tokens", estimate(anthropicRequest));
        return out;
    }

    /** The estimated input tokens of an Anthropic Messages request; 0 for a non-object. */
    public static int estimate(JsonNode request) {
        if (request == null || !request.isObject()) {
            return 0;
        }
        long n = content(request.get("system"));
        for (JsonNode m : request.path("messages")) {
            n += PER_MESSAGE + content(m.get("content"));
        }
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            String choice = request.path("tool_choice").path("type").asText("auto");
            n += "any".equals(choice) || "tool".equals(choice) ? TOOLS_FORCED : TOOLS_AUTO;
            for (JsonNode t : tools) {
                if (t.has("input_schema")) {
                    n += text(t.path("name").asText("")) + text(t.path("description").asText(""))
                            + text(compact(t.get("input_schema")));
                } else {
                    n += text(compact(t)); // server tools (web search, ...)
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** Loads the encoding now (about 1 s) instead of on the first estimate. */
    public static void warmUp() {
        text("warm up");
    }

    /** Which counter is in use: {@code "cl100k_base"} or {@code "chars/4"}. */
    public static String method() {
        return Tokenizer.ENCODING == null ? "chars/4" : "cl100k_base";
    }

    /** Tokens of a string content or an array of blocks. */
    private static long content(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return text(content.asText());
        }
        long n = 0;
        if (content.isArray()) {
            for (JsonNode b : content) {
                n += block(b);
            }
        }
        return n;
    }

    private static long block(JsonNode b) {
        switch (b.path("type").asText("")) {
            case "text":
                return text(b.path("text").asText(""));
            case "thinking":
                return text(b.path("thinking").asText(""));
            case "redacted_thinking":
                return b.path("data").asText("").length() / 4;
            case "tool_use":
            case "server_tool_use":
                return text(b.path("name").asText("")) + text(compact(b.get("input")));
            case "tool_result":
                return content(b.get("content"));
            case "image":
                return PER_IMAGE;
            case "document":
                JsonNode source = b.path("source");
                String kind = source.path("type").asText("");
                if ("text".equals(kind)) {
                    return text(source.path("data").asText(""));
                }
                if ("content".equals(kind)) {
                    return content(source.get("content"));
                }
                return PER_DOCUMENT;
            default:
                return text(compact(b));
        }
    }

    private static long text(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        Encoding enc = Tokenizer.ENCODING;
        return enc == null ? (s.length() + 3) / 4 : enc.countTokensOrdinary(s);
    }

    private static String compact(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** Loads the encoding once, on first use; {@code null} when jtokkit is unavailable. */
    private static final class Tokenizer {
        static final Encoding ENCODING = load();

        private static Encoding load() {
            try {
                return Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
