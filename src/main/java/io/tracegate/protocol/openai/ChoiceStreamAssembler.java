package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * What both OpenAI stream assemblers share: chunks are fed in order, the top-level fields go to a
 * {@link StreamHeader}, each {@code choices[i]} to its own per-index state, and {@link #result()} writes the
 * equivalent non-stream object. Subclasses only say what a choice accumulates.
 */
abstract class ChoiceStreamAssembler {

    /** What one choice accumulates across chunks. */
    interface StreamChoice {
        void accept(JsonNode choiceChunk);

        ObjectNode toNode();
    }

    private final StreamHeader header = new StreamHeader();
    private final Map<Integer, StreamChoice> choices = new TreeMap<>();
    private final String objectName;
    private final IntFunction<StreamChoice> newChoice;

    ChoiceStreamAssembler(String objectName, IntFunction<StreamChoice> newChoice) {
        this.objectName = objectName;
        this.newChoice = newChoice;
    }

    /** Feeds one chunk's JSON (the SSE data payload). */
    public void feed(byte[] chunkJson) {
        try {
            feed(Json.MAPPER.readTree(chunkJson));
        } catch (IOException e) {
            throw new UncheckedIOException("Malformed " + objectName + " chunk", e);
        }
    }

    /** Feeds one parsed chunk. Nodes of the chunk may be retained (do not mutate them afterwards). */
    public void feed(JsonNode chunk) {
        if (chunk == null || !chunk.isObject()) {
            return;
        }
        header.accept(chunk);
        JsonNode list = chunk.get("choices");
        if (list == null || !list.isArray()) {
            return;
        }
        for (JsonNode c : list) {
            int index = c.path("index").asInt(0);
            choices.computeIfAbsent(index, newChoice::apply).accept(c);
        }
    }

    /** Number of chunks fed so far. */
    public int chunkCount() {
        return header.chunks();
    }

    /** The last non-null usage seen, or {@code null}. */
    public JsonNode usage() {
        return header.usage();
    }

    /**
     * The assembled non-stream object. It shares nodes with this assembler: call it once the stream has
     * ended, or deep-copy it before feeding more chunks.
     */
    public ObjectNode result() {
        ObjectNode out = Json.NODES.objectNode();
        header.writeHead(out, objectName);
        ArrayNode list = out.putArray("choices");
        for (StreamChoice c : choices.values()) {
            list.add(c.toNode());
        }
        header.writeTail(out);
        return out;
    }
}
