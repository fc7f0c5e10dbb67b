package io.tracegate.protocol.translate;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.sse.SseWriter;

/**
 * Builds Anthropic Messages stream events as complete SSE frames
 * ({@code event: <type>\ndata: <compact json>\n\n}).
 */
final class AnthropicEventFrames {

    private static final ObjectMapper MAPPER = JsonLimits.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnthropicEventFrames() {
    }

    static byte[] messageStart(String id, String model) {
        ObjectNode ev = event("message_start");
        ObjectNode m = ev.putObject("message");
        m.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        m.set("usage", AnthropicUsage.of(null));
        return frame(ev);
    }

    static byte[] blockStart(int index, ObjectNode block) {
        ObjectNode ev = event("content_block_start").put("index", index);
        ev.set("content_block", block);
        return frame(ev);
    }

    static byte[] delta(int index, String deltaType, String field, String value) {
        ObjectNode ev = event("content_block_delta").put("index", index);
        ev.putObject("delta").put("type", deltaType).put(field, value);
        return frame(ev);
    }

    static byte[] blockStop(int index) {
        return frame(event("content_block_stop").put("index", index));
    }

    static byte[] messageDelta(AnthropicStopReason stop, String stopReason, ObjectNode usage) {
        ObjectNode ev = event("message_delta");
        ev.putObject("delta").put("stop_reason", stopReason).put("stop_sequence", stop.stopSequence());
        ev.set("usage", usage);
        return frame(ev);
    }

    static byte[] messageStop() {
        return frame(event("message_stop"));
    }

    static byte[] error(String type, String message) {
        ObjectNode ev = event("error");
        ev.putObject("error").put("type", type).put("message", message);
        return frame(ev);
    }

    static ObjectNode textBlock() {
        return NODES.objectNode().put("type", "text").put("text", "");
    }

    static ObjectNode thinkingBlock() {
        return NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", "");
    }

    static ObjectNode toolUseBlock(String id, String name) {
        ObjectNode b = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
        b.putObject("input");
        return b;
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static byte[] frame(ObjectNode ev) {
        try {
            return SseWriter.frame(ev.get("type").asText(), MAPPER.writeValueAsBytes(ev));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree node", e);
        }
    }
}
