package io.tracegate.protocol.translate;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Jackson singletons and small null-tolerant readers shared by the OpenAI-client / Anthropic-backend
 * translation classes. Thread-safe.
 */
final class ChatJson {

    static final ObjectMapper MAPPER = JsonLimits.mapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatJson() {
    }

    /** The node's text when it is a JSON string, else {@code null}. */
    static String str(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** True when the member is absent or JSON {@code null} (OpenAI treats both as "not given"). */
    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** Compact JSON of a node ({@code "{}"} for {@code null}). */
    static String compact(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "{}";
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Compact UTF-8 JSON bytes of a node. */
    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Parses JSON text, or returns {@code null} when it is not valid JSON. */
    static JsonNode parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(text);
            return n == null || n.isMissingNode() ? null : n;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
