package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.sse.SseWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates an Anthropic Messages event stream into OpenAI {@code chat.completion.chunk} SSE frames,
 * incrementally: each call returns the complete frames ({@code data: <json>\n\n}) to send now.
 *
 * <p>Mapping: message_start -> a first chunk with {@code delta {role: assistant, content: ""}};
 * text_delta -> {@code delta.content}; thinking_delta -> {@code delta.reasoning_content};
 * a tool_use block start -> {@code delta.tool_calls[{index, id, type, function {name, arguments: ""}}]}
 * with a running tool index from 0; input_json_delta -> {@code function.arguments} fragments as they
 * arrive (a tool call whose stream carried no argument text gets the compact JSON of its start input,
 * {@code "{}"} usually, at content_block_stop, matching the non-stream translation); message_delta ->
 * the final chunk with {@code finish_reason} (once), usage remembered; error -> an error frame.
 * signature_delta, citations, ping, message_stop and server-tool blocks produce nothing.
 *
 * <p>The assembled stream equals {@link AnthropicToOpenAiResponse#translate(JsonNode, String, long)}
 * of the same message (with usage when {@code finish(true)}). Not thread-safe; one instance per stream.
 */
public final class AnthropicToOpenAiStream {

    private enum Kind { TEXT, THINKING, TOOL, OTHER }

    private static final class Block {
        final Kind kind;
        final int toolIndex;
        final JsonNode startInput;
        boolean argumentsSent;

        Block(Kind kind, int toolIndex, JsonNode startInput) {
            this.kind = kind;
            this.toolIndex = toolIndex;
            this.startInput = startInput;
        }
    }

    private final String model;
    private final long created;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final ObjectNode usage = NODES.objectNode();
    private String id;
    private String stopReason;
    private int nextToolIndex;
    private boolean started;
    private boolean usageSeen;
    private boolean finalSent;
    private boolean failed;
    private boolean finished;

    /** A stream whose chunks carry {@code created} = now (epoch seconds). */
    public AnthropicToOpenAiStream(String frontendModel) {
        this(frontendModel, Instant.now().getEpochSecond());
    }

    /** A stream whose chunks carry {@code model = frontendModel} and the given {@code created}. */
    public AnthropicToOpenAiStream(String frontendModel, long created) {
        this.model = frontendModel;
        this.created = created;
    }

    /** Feeds one Anthropic event's data (the parsed {@code data:} JSON); returns the frames to send. */
    public List<byte[]> onEvent(JsonNode anthropicEventData) {
        List<byte[]> out = new ArrayList<>(2);
        if (finished || failed || anthropicEventData == null || !anthropicEventData.isObject()) {
            return out;
        }
        JsonNode e = anthropicEventData;
        switch (String.valueOf(str(e.get("type")))) {
            case "message_start" -> {
                JsonNode message = e.path("message");
                if (id == null) {
                    id = str(message.get("id"));
                }
                mergeUsage(message.get("usage"));
                ensureStarted(out);
            }
            case "content_block_start" -> blockStart(e.path("index").asInt(), e.path("content_block"), out);
            case "content_block_delta" -> blockDelta(blocks.get(e.path("index").asInt()), e.path("delta"), out);
            case "content_block_stop" -> blockStop(blocks.get(e.path("index").asInt()), out);
            case "message_delta" -> {
                mergeUsage(e.get("usage"));
                String reason = str(e.path("delta").get("stop_reason"));
                if (reason != null) {
                    stopReason = reason;
                    ensureStarted(out);
                    emitFinal(out);
                }
            }
            case "error" -> {
                JsonNode err = e.path("error");
                String type = str(err.get("type"));
                out.add(errorFrame(err.path("message").asText("upstream error"), AnthropicToOpenAiFields.errorType(type), type));
            }
            default -> {
                // ping, message_stop, unknown events: nothing to send
            }
        }
        return out;
    }

    /**
     * Ends the stream: the final chunk with {@code finish_reason} if not sent yet ({@code stop} when
     * the backend never gave a stop reason), then the usage chunk ({@code choices: []}) when
     * {@code includeUsage} and usage is known, then {@code data: [DONE]}. After an error frame only
     * {@code [DONE]} is sent. Later calls return nothing.
     */
    public List<byte[]> finish(boolean includeUsage) {
        List<byte[]> out = new ArrayList<>(3);
        if (finished) {
            return out;
        }
        finished = true;
        if (started && !failed) {
            emitFinal(out);
            if (includeUsage && usageSeen) {
                ObjectNode chunk = header();
                chunk.putArray("choices");
                chunk.set("usage", AnthropicToOpenAiFields.usage(usage));
                out.add(SseWriter.data(ChatJson.bytes(chunk)));
            }
        }
        out.add(SseWriter.done());
        return out;
    }

    /** An OpenAI stream error frame {@code data: {"error": {...}}}; no chunk is sent after it. */
    public List<byte[]> error(String message, String type) {
        List<byte[]> out = new ArrayList<>(1);
        if (!finished) {
            out.add(errorFrame(message, type, null));
        }
        return out;
    }

    /** The backend's stop reason once known, else {@code null}. */
    public String stopReason() {
        return stopReason;
    }

    private void blockStart(int index, JsonNode block, List<byte[]> out) {
        ensureStarted(out);
        String type = str(block.get("type"));
        if ("text".equals(type)) {
            blocks.put(index, new Block(Kind.TEXT, -1, null));
            emitText("content", block.path("text").asText(""), out);
        } else if ("thinking".equals(type)) {
            blocks.put(index, new Block(Kind.THINKING, -1, null));
            emitText("reasoning_content", block.path("thinking").asText(""), out);
        } else if ("tool_use".equals(type)) {
            Block b = new Block(Kind.TOOL, nextToolIndex++, block.get("input"));
            blocks.put(index, b);
            ObjectNode call = NODES.objectNode();
            call.put("index", b.toolIndex);
            call.put("id", str(block.get("id")));
            call.put("type", "function");
            ObjectNode fn = call.putObject("function");
            fn.put("name", str(block.get("name")));
            fn.put("arguments", "");
            out.add(toolChunk(call));
        } else {
            blocks.put(index, new Block(Kind.OTHER, -1, null));
        }
    }

    private void blockDelta(Block b, JsonNode delta, List<byte[]> out) {
        if (b == null) {
            return;
        }
        String type = str(delta.get("type"));
        if (b.kind == Kind.TEXT && "text_delta".equals(type)) {
            emitText("content", delta.path("text").asText(""), out);
        } else if (b.kind == Kind.THINKING && "thinking_delta".equals(type)) {
            emitText("reasoning_content", delta.path("thinking").asText(""), out);
        } else if (b.kind == Kind.TOOL && "input_json_delta".equals(type)) {
            emitArguments(b, delta.path("partial_json").asText(""), out);
        }
    }

    private void blockStop(Block b, List<byte[]> out) {
        if (b != null && b.kind == Kind.TOOL && !b.argumentsSent) {
            emitArguments(b, ChatJson.compact(b.startInput), out);
        }
    }

    private void emitArguments(Block b, String fragment, List<byte[]> out) {
        if (fragment.isEmpty()) {
            return;
        }
        b.argumentsSent = true;
        ObjectNode call = NODES.objectNode();
        call.put("index", b.toolIndex);
        call.putObject("function").put("arguments", fragment);
        out.add(toolChunk(call));
    }

    private void emitText(String field, String text, List<byte[]> out) {
        if (!text.isEmpty()) {
            ObjectNode delta = NODES.objectNode();
            delta.put(field, text);
            out.add(chunk(delta, null));
        }
    }

    private byte[] toolChunk(ObjectNode call) {
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls").add(call);
        return chunk(delta, null);
    }

    private void ensureStarted(List<byte[]> out) {
        if (!started) {
            started = true;
            ObjectNode delta = NODES.objectNode();
            delta.put("role", "assistant");
            delta.put("content", "");
            out.add(chunk(delta, null));
        }
    }

    private void emitFinal(List<byte[]> out) {
        if (!finalSent) {
            finalSent = true;
            String reason = AnthropicToOpenAiFields.finishReason(stopReason);
            out.add(chunk(NODES.objectNode(), reason == null ? "stop" : reason));
        }
    }

    private void mergeUsage(JsonNode u) {
        if (u != null && u.isObject()) {
            usageSeen = true;
            AnthropicToOpenAiFields.mergeUsage(usage, u);
        }
    }

    private ObjectNode header() {
        ObjectNode chunk = NODES.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private byte[] chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return SseWriter.data(ChatJson.bytes(chunk));
    }

    private byte[] errorFrame(String message, String type, String code) {
        failed = true;
        ObjectNode body = NODES.objectNode();
        ObjectNode err = body.putObject("error");
        err.put("message", message);
        err.put("type", type);
        err.putNull("param");
        err.put("code", code);
        return SseWriter.data(ChatJson.bytes(body));
    }
}
