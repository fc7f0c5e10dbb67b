package io.tracegate.protocol.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one policy for turning a tool call's argument text into an Anthropic {@code tool_use.input}
 * object, shared by the non-stream translation, the stream translation and the recording of Anthropic
 * streams so that all three always agree.
 *
 * <p>Why: Anthropic clients require {@code input} to be a JSON object; OpenAI-compatible backends
 * return arguments as free text that may be truncated ({@code max_tokens}) or not JSON at all (small
 * models). A proxy must never crash or silently drop such a call, and the agent should see what the
 * model produced. Policy, in order:
 * <ol>
 *   <li>blank text: {@code {}} ({@link Kind#EMPTY})</li>
 *   <li>a JSON object: as is ({@link Kind#VALID})</li>
 *   <li>a JSON string whose content is a JSON object (double-encoded arguments): that object
 *       ({@link Kind#REPAIRED})</li>
 *   <li>a cut-off JSON object that {@link JsonPrefix#completionSuffix()} can close by appending:
 *       the closed object ({@link Kind#REPAIRED})</li>
 *   <li>anything else: {@code {"_raw_arguments": "<text>"}} ({@link Kind#RAW})</li>
 * </ol>
 */
public final class ToolInputJson {

    /** Key holding the unparseable argument text in a {@link Kind#RAW} input. */
    public static final String RAW_KEY = "_raw_arguments";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** How the input was obtained. */
    public enum Kind { EMPTY, VALID, REPAIRED, RAW }

    /**
     * A parsed tool input.
     *
     * @param input  the object to put in {@code tool_use.input}
     * @param kind   how it was obtained
     * @param suffix for {@link Kind#REPAIRED} by completion, the text that was appended; else {@code ""}
     */
    public record Parsed(ObjectNode input, Kind kind, String suffix) {
        /** True when the text was not a JSON object as given. */
        public boolean altered() {
            return kind == Kind.REPAIRED || kind == Kind.RAW;
        }
    }

    private ToolInputJson() {
    }

    /** Applies the policy to a complete argument text ({@code null} is treated as blank). */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Parsed(JsonNodeFactory.instance.objectNode(), Kind.EMPTY, "");
        }
        JsonNode node = tryRead(text);
        if (node instanceof ObjectNode obj) {
            return new Parsed(obj, Kind.VALID, "");
        }
        if (node != null && node.isTextual() && tryRead(node.asText()) instanceof ObjectNode inner) {
            return new Parsed(inner, Kind.REPAIRED, "");
        }
        if (node == null) {
            JsonPrefix prefix = new JsonPrefix();
            prefix.feed(text);
            String suffix = prefix.completionSuffix();
            if (prefix.firstChar() == '{' && suffix != null && !suffix.isEmpty()
                    && tryRead(text + suffix) instanceof ObjectNode repaired) {
                return new Parsed(repaired, Kind.REPAIRED, suffix);
            }
        }
        return raw(text);
    }

    /** The {@link Kind#RAW} wrapper for {@code text}. */
    public static Parsed raw(String text) {
        ObjectNode obj = JsonNodeFactory.instance.objectNode();
        obj.put(RAW_KEY, text);
        return new Parsed(obj, Kind.RAW, "");
    }

    private static JsonNode tryRead(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
