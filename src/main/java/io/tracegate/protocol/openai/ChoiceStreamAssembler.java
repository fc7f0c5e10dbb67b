package io.tracegate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Feeds one chunk's JSON (the SSE data payload), with the same effect as feeding its parsed tree but
     * without building one for the whole chunk: top-level members the header no longer needs (the id and
     * model repeated in every chunk) are skipped unread, and only each choice becomes a tree. A chunk is
     * applied only once it has parsed; one that is not a JSON object changes nothing.
     *
     * @throws UncheckedIOException when the payload is not JSON (nothing of it is applied)
     */
    public void feed(byte[] chunkJson) {
        JsonNode[] members = StreamHeader.newChunkMembers();
        List<JsonNode> chunkChoices = null;
        try (JsonParser p = Json.MAPPER.createParser(chunkJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren(); // a truncated array still fails, as a whole-tree parse would
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("choices".equals(name)) {
                    chunkChoices = value == JsonToken.START_ARRAY ? readChoices(p) : skip(p);
                } else {
                    int m = StreamHeader.member(name);
                    if (m >= 0 && header.wants(m)) {
                        members[m] = p.readValueAsTree();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Malformed " + objectName + " chunk", e);
        }
        header.accept(members);
        if (chunkChoices != null) {
            chunkChoices.forEach(this::acceptChoice);
        }
    }

    private static List<JsonNode> readChoices(JsonParser p) throws IOException {
        List<JsonNode> list = new ArrayList<>(1);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(p.readValueAsTree());
        }
        return list;
    }

    private static List<JsonNode> skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
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
            acceptChoice(c);
        }
    }

    private void acceptChoice(JsonNode c) {
        int index = c.path("index").asInt(0);
        choices.computeIfAbsent(index, newChoice::apply).accept(c);
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
