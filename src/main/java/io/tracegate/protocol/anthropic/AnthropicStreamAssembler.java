package io.tracegate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the non-stream Anthropic {@code Message} equivalent to a Messages API event stream, so a
 * streamed call is recorded with the same response shape as a non-stream one.
 *
 * <p>Feed the JSON payload ({@code data:}) of every event. {@code message_start} gives id, model,
 * role and the initial usage; content blocks are rebuilt per {@code index} and returned in index
 * order: {@code text} ({@code text_delta} concatenated, {@code citations_delta} appended to
 * {@code citations}), {@code thinking} ({@code thinking_delta} concatenated, {@code signature_delta}
 * sets the signature), {@code tool_use} and {@code server_tool_use} (input parsed from the
 * concatenated {@code input_json_delta} fragments with {@link ToolInputJson}, so an empty text gives
 * {@code {}}), every other block ({@code redacted_thinking}, server tool results, ...) as given.
 * {@code message_delta} sets {@code stop_reason}/{@code stop_sequence} and each usage field present
 * in it overrides or extends the usage from {@code message_start}. {@code ping} is ignored; an
 * {@code error} event is kept for {@link #error()}.
 *
 * <p>Unknown or malformed events are ignored, never thrown on. Not thread-safe; one per stream.
 */
public final class AnthropicStreamAssembler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode message = NODES.objectNode();
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private ObjectNode usage;
    private JsonNode error;
    private boolean stopped;
    private int events;

    /** Feeds one event's parsed {@code data:} payload. Nodes of it may be retained. */
    public void feed(JsonNode event) {
        if (event == null || !event.isObject()) {
            return;
        }
        events++;
        switch (event.path("type").asText("")) {
            case "message_start" -> onMessageStart(event.path("message"));
            case "content_block_start" -> {
                JsonNode block = event.get("content_block");
                if (block != null && block.isObject()) {
                    blocks.put(event.path("index").asInt(blocks.size()), new Block(block.deepCopy()));
                }
            }
            case "content_block_delta" -> {
                Block b = blocks.get(event.path("index").asInt(-1));
                if (b != null) {
                    b.accept(event.path("delta"));
                }
            }
            case "message_delta" -> onMessageDelta(event);
            case "message_stop" -> stopped = true;
            case "error" -> error = event.get("error");
            default -> { } // ping, content_block_stop, unknown
        }
    }

    /** Number of events fed. */
    public int eventCount() {
        return events;
    }

    /** True once {@code message_stop} was seen. */
    public boolean isComplete() {
        return stopped;
    }

    /** The {@code error} object of an {@code error} event, or {@code null}. */
    public JsonNode error() {
        return error;
    }

    /** The assembled {@code Message}; callable at any time (a fresh object each call). */
    public ObjectNode result() {
        ObjectNode out = NODES.objectNode();
        out.set("id", message.get("id"));
        out.put("type", "message");
        out.put("role", message.path("role").asText("assistant"));
        out.set("model", message.get("model"));
        ArrayNode content = out.putArray("content");
        for (Block b : blocks.values()) {
            content.add(b.toNode());
        }
        out.set("stop_reason", message.has("stop_reason") ? message.get("stop_reason") : NODES.nullNode());
        out.set("stop_sequence", message.has("stop_sequence") ? message.get("stop_sequence") : NODES.nullNode());
        if (usage != null) {
            out.set("usage", usage.deepCopy());
        }
        for (Map.Entry<String, JsonNode> e : message.properties()) {
            if (!out.has(e.getKey()) && !"content".equals(e.getKey()) && !"usage".equals(e.getKey())) {
                out.set(e.getKey(), e.getValue()); // e.g. container, context_management
            }
        }
        return out;
    }

    private void onMessageStart(JsonNode m) {
        if (!m.isObject()) {
            return;
        }
        m.properties().forEach(e -> {
            if (!"content".equals(e.getKey()) && !"usage".equals(e.getKey())) {
                message.set(e.getKey(), e.getValue());
            }
        });
        JsonNode u = m.get("usage");
        if (u != null && u.isObject()) {
            usage = ((ObjectNode) u).deepCopy();
        }
        JsonNode content = m.get("content");
        if (content != null && content.isArray()) { // not sent by Anthropic, but harmless to honour
            for (JsonNode block : content) {
                if (block.isObject()) {
                    blocks.put(blocks.size(), new Block(block.deepCopy()));
                }
            }
        }
    }

    private void onMessageDelta(JsonNode event) {
        JsonNode delta = event.path("delta");
        if (delta.has("stop_reason")) {
            message.set("stop_reason", delta.get("stop_reason"));
        }
        if (delta.has("stop_sequence")) {
            message.set("stop_sequence", delta.get("stop_sequence"));
        }
        JsonNode u = event.get("usage");
        if (u != null && u.isObject()) {
            if (usage == null) {
                usage = NODES.objectNode();
            }
            u.properties().forEach(e -> {
                if (!e.getValue().isNull() || !usage.has(e.getKey())) {
                    usage.set(e.getKey(), e.getValue());
                }
            });
        }
    }

    private static final class Block {
        final ObjectNode node;
        final String type;
        StringBuilder text;
        StringBuilder thinking;
        StringBuilder json;

        Block(ObjectNode node) {
            this.node = node;
            this.type = node.path("type").asText("");
        }

        void accept(JsonNode delta) {
            switch (delta.path("type").asText("")) {
                case "text_delta" -> text = append(text, "text", delta.path("text").asText(""));
                case "thinking_delta" -> thinking = append(thinking, "thinking", delta.path("thinking").asText(""));
                case "signature_delta" -> node.put("signature", delta.path("signature").asText(""));
                case "input_json_delta" -> {
                    if (json == null) {
                        json = new StringBuilder();
                    }
                    json.append(delta.path("partial_json").asText(""));
                }
                case "citations_delta" -> {
                    JsonNode c = delta.get("citation");
                    if (c != null) {
                        JsonNode list = node.get("citations");
                        (list instanceof ArrayNode a ? a : node.putArray("citations")).add(c);
                    }
                }
                default -> { }
            }
        }

        private StringBuilder append(StringBuilder sb, String field, String piece) {
            if (sb == null) {
                sb = new StringBuilder(node.path(field).asText(""));
            }
            return sb.append(piece);
        }

        ObjectNode toNode() {
            ObjectNode out = node.deepCopy();
            if (text != null) {
                out.put("text", text.toString());
            }
            if (thinking != null) {
                out.put("thinking", thinking.toString());
            }
            if ("tool_use".equals(type) || "server_tool_use".equals(type)) {
                if (json != null) {
                    out.set("input", ToolInputJson.parse(json.toString()).input());
                } else if (!out.path("input").isObject()) {
                    out.putObject("input");
                }
            }
            return out;
        }
    }
}
