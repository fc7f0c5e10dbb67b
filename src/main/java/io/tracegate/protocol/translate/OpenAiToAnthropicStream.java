package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.anthropic.JsonPrefix;
import io.tracegate.protocol.anthropic.ToolInputJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates a Chat Completions chunk stream into an Anthropic Messages event stream, incrementally:
 * each call returns the complete SSE frames to send now, nothing is held back that could be sent.
 *
 * <p>Events: {@code message_start} on the first chunk (usage placeholders of 0), then content blocks
 * with strictly increasing indexes from 0, each started, delta'd and stopped without interleaving:
 * reasoning ({@code reasoning_content} / {@code reasoning}) as a {@code thinking} block closed by an
 * empty {@code signature_delta} (the same shape as Anthropic's own streams; SDK accumulators just
 * store the value), text as a {@code text} block, each tool call as a {@code tool_use} block started
 * when its name is known, its argument fragments forwarded as {@code input_json_delta} as they arrive.
 * {@link #finish()} closes what is open and sends {@code message_delta} (stop reason, and the full
 * usage: input, cache read, cache creation and output tokens, since OpenAI reports usage only at the
 * end) and {@code message_stop}. Nothing is ever sent after {@code message_stop} or an error.
 *
 * <p>Parallel tool calls: Anthropic blocks cannot interleave, OpenAI fragments (rarely) can. The open
 * tool block stays current until its arguments are a structurally complete JSON value (tracked by
 * {@link JsonPrefix}); anything else arriving meanwhile (another call's fragments, text) is queued
 * and replayed in arrival order as soon as the current call completes, or at {@link #finish()}. In the
 * usual sequential case nothing is queued. Arguments that are cut off get an appended closing suffix,
 * arguments that do not start with {@code {} are buffered and sent as {@link ToolInputJson} decides;
 * both are reported in {@link #warnings()}. The final result always equals what
 * {@link OpenAiToAnthropicResponse} gives for the equivalent non-stream response.
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class OpenAiToAnthropicStream {

    private enum Kind { THINKING, TEXT, TOOL }

    private record Item(Kind kind, String text, int tool, JsonNode call) {
    }

    private final String frontendModel;
    private final DropList warnings = new DropList();
    private final Map<Integer, ToolState> tools = new TreeMap<>();
    private final Deque<Item> queue = new ArrayDeque<>();
    private List<byte[]> out = new ArrayList<>();
    private boolean started;
    private boolean ended;
    private int nextIndex;
    private Kind currentKind;
    private int currentIndex = -1;
    private ToolState currentTool;
    private JsonNode finishReason;
    private JsonNode vllmStopReason;
    private JsonNode usage;
    private boolean refusal;

    /** @param frontendModel the model name the client asked for, reported back in {@code message_start} */
    public OpenAiToAnthropicStream(String frontendModel) {
        this.frontendModel = frontendModel;
    }

    /** Frames to send for one {@code chat.completion.chunk} (the parsed {@code data:} JSON). */
    public List<byte[]> onChunk(JsonNode chunk) {
        if (ended || chunk == null || !chunk.isObject()) {
            return List.of();
        }
        start(chunk);
        JsonNode err = chunk.get("error");
        if (err != null && err.isObject() && !chunk.has("choices")) { // vLLM mid-stream error chunk
            return drainOut(new Failure(err.path("type").asText("api_error"), err.path("message").asText("")));
        }
        if (chunk.hasNonNull("usage")) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                warnings.add("choices_ignored");
                continue;
            }
            JsonNode delta = choice.path("delta");
            offerText(Kind.THINKING, delta.get("reasoning_content"));
            offerText(Kind.THINKING, delta.get("reasoning"));
            offerText(Kind.TEXT, delta.get("content"));
            if (delta.hasNonNull("refusal")) {
                refusal = true;
                offerText(Kind.TEXT, delta.get("refusal"));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                int idx = call.path("index").asInt(tools.size());
                offer(new Item(Kind.TOOL, null, idx, call));
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason");
            }
            if (choice.hasNonNull("stop_reason")) {
                vllmStopReason = choice.get("stop_reason");
            }
        }
        return drainOut(null);
    }

    /**
     * Closes open blocks and sends {@code message_delta} and {@code message_stop}. Call at the
     * upstream's {@code [DONE]} or end of body. Idempotent: later calls return nothing.
     */
    public List<byte[]> finish() {
        if (ended) {
            return List.of();
        }
        start(null);
        while (!queue.isEmpty()) {
            closeCurrent();
            drain();
        }
        closeCurrent();
        for (ToolState t : tools.values()) { // fragments without a name ever arriving
            if (t.blockIndex < 0) {
                startTool(t);
                closeCurrent();
            }
        }
        AnthropicStopReason stop = AnthropicStopReason.of(finishReason, vllmStopReason);
        if (!stop.known()) {
            warnings.add("finish_reason:" + finishReason.asText());
        }
        String reason = refusal && !"tool_use".equals(stop.stopReason()) ? "refusal" : stop.stopReason();
        var u = AnthropicUsage.of(usage);
        if (usage == null) {
            u.retain("output_tokens"); // unknown: only the required field
        }
        out.add(AnthropicEventFrames.messageDelta(stop, reason, u));
        out.add(AnthropicEventFrames.messageStop());
        ended = true;
        return drainOut(null);
    }

    /**
     * An {@code event: error} frame for a mid-stream failure (e.g. {@code overloaded_error},
     * {@code api_error}); ends the stream. Returns nothing when the stream already ended.
     */
    public List<byte[]> error(String type, String message) {
        if (ended) {
            return List.of();
        }
        return drainOut(new Failure(type, message));
    }

    /** True once {@code message_stop} or an error was produced. */
    public boolean isEnded() {
        return ended;
    }

    /** Distinct notes for the span: repaired or raw tool arguments, unknown finish reasons, ... */
    public List<String> warnings() {
        return warnings.toList();
    }

    private record Failure(String type, String message) {
    }

    private List<byte[]> drainOut(Failure failure) {
        if (failure != null) {
            out.add(AnthropicEventFrames.error(failure.type(), failure.message()));
            ended = true;
        }
        List<byte[]> frames = out;
        out = new ArrayList<>();
        return frames;
    }

    private void start(JsonNode chunk) {
        if (!started) {
            started = true;
            String id = chunk == null ? null : chunk.path("id").asText(null);
            out.add(AnthropicEventFrames.messageStart(OpenAiToAnthropicResponse.messageId(id), frontendModel));
        }
    }

    private void offerText(Kind kind, JsonNode piece) {
        if (piece != null && piece.isTextual() && !piece.asText().isEmpty()) {
            offer(new Item(kind, piece.asText(), -1, null));
        }
    }

    private void offer(Item item) {
        queue.add(item);
        drain();
    }

    /** Applies queued items in order while the current block does not hold them back. */
    private void drain() {
        while (!queue.isEmpty()) {
            Item head = queue.peek();
            if (!blocked(head)) {
                apply(queue.poll());
            } else if (!applyFirstForCurrentTool()) {
                return;
            }
            if (currentTool != null && currentTool.scanner.isComplete() && !queue.isEmpty()) {
                closeCurrent();
            }
        }
    }

    private boolean blocked(Item item) {
        return currentTool != null && !currentTool.scanner.isComplete()
                && !(item.kind() == Kind.TOOL && item.tool() == currentTool.openAiIndex);
    }

    private boolean applyFirstForCurrentTool() {
        for (Iterator<Item> it = queue.iterator(); it.hasNext();) {
            Item item = it.next();
            if (item.kind() == Kind.TOOL && item.tool() == currentTool.openAiIndex) {
                it.remove();
                apply(item);
                return true;
            }
        }
        return false;
    }

    private void apply(Item item) {
        if (item.kind() != Kind.TOOL) {
            if (currentKind != item.kind()) {
                closeCurrent();
                currentKind = item.kind();
                currentIndex = nextIndex++;
                out.add(AnthropicEventFrames.blockStart(currentIndex, item.kind() == Kind.TEXT
                        ? AnthropicEventFrames.textBlock() : AnthropicEventFrames.thinkingBlock()));
            }
            out.add(item.kind() == Kind.TEXT
                    ? AnthropicEventFrames.delta(currentIndex, "text_delta", "text", item.text())
                    : AnthropicEventFrames.delta(currentIndex, "thinking_delta", "thinking", item.text()));
            return;
        }
        ToolState t = tools.computeIfAbsent(item.tool(), ToolState::new);
        JsonNode call = item.call();
        String id = call.path("id").asText("");
        if (t.id == null && !id.isEmpty()) {
            t.id = id;
        }
        String name = call.path("function").path("name").asText("");
        if (!name.isEmpty()) {
            if (t.blockIndex < 0) {
                t.name = t.name == null ? name : t.name + name;
            } else if (!name.equals(t.name)) {
                warnings.add("tool_name_after_start:" + t.id);
            }
        }
        String args = call.path("function").path("arguments").asText("");
        if (t.closed) {
            if (!args.isEmpty()) {
                warnings.add("tool_arguments_after_close:" + t.id);
            }
            return;
        }
        t.pending.append(args);
        if (t.blockIndex < 0 && t.name != null) {
            startTool(t);
        }
        if (t.blockIndex >= 0) {
            forwardArguments(t);
        }
    }

    private void startTool(ToolState t) {
        closeCurrent();
        t.id = OpenAiToAnthropicResponse.toolUseId(t.id, t.openAiIndex);
        t.blockIndex = nextIndex++;
        currentKind = Kind.TOOL;
        currentIndex = t.blockIndex;
        currentTool = t;
        out.add(AnthropicEventFrames.blockStart(t.blockIndex,
                AnthropicEventFrames.toolUseBlock(t.id, t.name == null ? "" : t.name)));
        forwardArguments(t);
    }

    private void forwardArguments(ToolState t) {
        if (t.pending.length() == 0) {
            return;
        }
        String piece = t.pending.toString();
        t.pending.setLength(0);
        t.all.append(piece);
        t.scanner.feed(piece);
        if (t.raw || t.scanner.firstChar() == 0) {
            t.unsent.append(piece); // undecided (blank so far) or not an object: hold
            return;
        }
        if (t.scanner.firstChar() != '{') {
            t.raw = true;
            t.unsent.append(piece);
            return;
        }
        t.unsent.append(piece);
        out.add(AnthropicEventFrames.delta(t.blockIndex, "input_json_delta", "partial_json", t.unsent.toString()));
        t.unsent.setLength(0);
    }

    private void closeCurrent() {
        if (currentKind == null) {
            return;
        }
        if (currentKind == Kind.THINKING) {
            out.add(AnthropicEventFrames.delta(currentIndex, "signature_delta", "signature", ""));
        } else if (currentKind == Kind.TOOL) {
            closeTool(currentTool);
        }
        out.add(AnthropicEventFrames.blockStop(currentIndex));
        currentKind = null;
        currentIndex = -1;
        currentTool = null;
    }

    private void closeTool(ToolState t) {
        t.closed = true;
        ToolInputJson.Parsed parsed = ToolInputJson.parse(t.all.toString());
        OpenAiToAnthropicResponse.noteArguments(parsed, t.id, warnings);
        String tail;
        if (t.raw) {
            tail = parsed.input().toString(); // nothing of it was sent: send the decided object
        } else if (t.unsent.toString().isBlank()) {
            tail = parsed.kind() == ToolInputJson.Kind.REPAIRED ? parsed.suffix() : "";
        } else {
            tail = t.unsent.toString();
        }
        if (!tail.isEmpty()) {
            out.add(AnthropicEventFrames.delta(t.blockIndex, "input_json_delta", "partial_json", tail));
        }
    }

    /** Per OpenAI tool_calls[].index. */
    private static final class ToolState {
        final int openAiIndex;
        final JsonPrefix scanner = new JsonPrefix();
        final StringBuilder pending = new StringBuilder();
        final StringBuilder all = new StringBuilder();
        final StringBuilder unsent = new StringBuilder();
        String id;
        String name;
        int blockIndex = -1;
        boolean raw;
        boolean closed;

        ToolState(int openAiIndex) {
            this.openAiIndex = openAiIndex;
        }
    }
}
