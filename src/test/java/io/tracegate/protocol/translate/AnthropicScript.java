package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted Anthropic answer that renders both as a non-stream Message and as the realistic event
 * sequence the Messages API streams for it (message_start with cache usage, ping, block start /
 * deltas / stop, input_json_delta in small fragments, signature_delta, message_delta, message_stop).
 */
final class AnthropicScript {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private record Block(String type, String a, String b, String c) {
    }

    private final String id;
    private final List<Block> blocks = new ArrayList<>();
    private String stopReason = "end_turn";
    private int input = 25;
    private int cacheRead;
    private int cacheWrite;
    private int output = 12;
    private int textPiece = 5;
    private int jsonPiece = 4;

    private AnthropicScript(String id) {
        this.id = id;
    }

    static AnthropicScript message(String id) {
        return new AnthropicScript(id);
    }

    AnthropicScript text(String text) {
        blocks.add(new Block("text", text, null, null));
        return this;
    }

    AnthropicScript thinking(String thinking) {
        blocks.add(new Block("thinking", thinking, "sig_" + thinking.length(), null));
        return this;
    }

    /** A tool call; {@code inputJson} is streamed as written (Anthropic's spacing) in small fragments. */
    AnthropicScript toolUse(String toolId, String name, String inputJson) {
        blocks.add(new Block("tool_use", toolId, name, inputJson));
        return this;
    }

    AnthropicScript stop(String reason) {
        this.stopReason = reason;
        return this;
    }

    AnthropicScript usage(int input, int cacheRead, int cacheWrite, int output) {
        this.input = input;
        this.cacheRead = cacheRead;
        this.cacheWrite = cacheWrite;
        this.output = output;
        return this;
    }

    AnthropicScript pieces(int textPiece, int jsonPiece) {
        this.textPiece = textPiece;
        this.jsonPiece = jsonPiece;
        return this;
    }

    /** The non-stream Messages response. */
    ObjectNode toMessage() {
        ObjectNode m = head();
        ArrayNode content = m.putArray("content");
        for (Block b : blocks) {
            ObjectNode block = content.addObject();
            block.put("type", b.type());
            switch (b.type()) {
                case "text" -> block.put("text", b.a());
                case "thinking" -> block.put("thinking", b.a()).put("signature", b.b());
                default -> {
                    block.put("id", b.a());
                    block.put("name", b.b());
                    block.set("input", parse(b.c()));
                }
            }
        }
        m.put("stop_reason", stopReason);
        m.putNull("stop_sequence");
        m.set("usage", usageNode(output));
        return m;
    }

    /** The event data objects, in stream order. */
    List<JsonNode> toEvents() {
        List<JsonNode> events = new ArrayList<>();
        ObjectNode start = MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode m = head();
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        m.set("usage", usageNode(1));
        start.set("message", m);
        events.add(start);
        events.add(MAPPER.createObjectNode().put("type", "ping"));
        for (int k = 0; k < blocks.size(); k++) {
            final int i = k;
            Block b = blocks.get(i);
            ObjectNode bs = MAPPER.createObjectNode().put("type", "content_block_start").put("index", i);
            ObjectNode cb = bs.putObject("content_block").put("type", b.type());
            switch (b.type()) {
                case "text" -> cb.put("text", "");
                case "thinking" -> cb.put("thinking", "").put("signature", "");
                default -> {
                    cb.put("id", b.a()).put("name", b.b());
                    cb.putObject("input");
                }
            }
            events.add(bs);
            switch (b.type()) {
                case "text" -> split(b.a(), textPiece).forEach(p -> events.add(delta(i, "text_delta", "text", p)));
                case "thinking" -> {
                    split(b.a(), textPiece).forEach(p -> events.add(delta(i, "thinking_delta", "thinking", p)));
                    events.add(delta(i, "signature_delta", "signature", b.b()));
                }
                default -> {
                    // Anthropic opens every tool input with an empty fragment
                    events.add(delta(i, "input_json_delta", "partial_json", ""));
                    split(b.c(), jsonPiece).forEach(p -> events.add(delta(i, "input_json_delta", "partial_json", p)));
                }
            }
            events.add(MAPPER.createObjectNode().put("type", "content_block_stop").put("index", i));
        }
        ObjectNode md = MAPPER.createObjectNode().put("type", "message_delta");
        md.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", output);
        events.add(md);
        events.add(MAPPER.createObjectNode().put("type", "message_stop"));
        return events;
    }

    private ObjectNode head() {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", "claude-sonnet-4-5-20250929");
        return m;
    }

    private ObjectNode usageNode(int outputTokens) {
        ObjectNode u = MAPPER.createObjectNode();
        u.put("input_tokens", input);
        u.put("cache_creation_input_tokens", cacheWrite);
        u.put("cache_read_input_tokens", cacheRead);
        ObjectNode cc = u.putObject("cache_creation");
        cc.put("ephemeral_5m_input_tokens", cacheWrite);
        cc.put("ephemeral_1h_input_tokens", 0);
        u.put("output_tokens", outputTokens);
        u.put("service_tier", "standard");
        return u;
    }

    private static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode e = MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
        e.putObject("delta").put("type", type).put(field, value);
        return e;
    }

    private static List<String> split(String s, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) {
            out.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
