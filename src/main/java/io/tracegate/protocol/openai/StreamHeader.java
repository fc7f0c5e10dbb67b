package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Top-level fields shared by chat and completion stream chunks: the first non-null value of each
 * identity field wins, the last non-null usage wins, vLLM prompt token ids come from the first chunk
 * that carries them.
 */
final class StreamHeader {
    /** The top-level chunk members the header keeps, indexed by the constants below. */
    private static final String[] MEMBERS = {
        "id", "created", "model", "system_fingerprint", "service_tier", "usage", "prompt_token_ids", "prompt_logprobs"};
    private static final int ID = 0;
    private static final int CREATED = 1;
    private static final int MODEL = 2;
    private static final int SYSTEM_FINGERPRINT = 3;
    private static final int SERVICE_TIER = 4;
    private static final int USAGE = 5;
    private static final int PROMPT_TOKEN_IDS = 6;
    private static final int PROMPT_LOGPROBS = 7;

    private final JsonNode[] values = new JsonNode[MEMBERS.length];
    private int chunks;

    /** The slot of a top-level member the header keeps, or -1 for any other member. */
    static int member(String name) {
        for (int m = 0; m < MEMBERS.length; m++) {
            if (MEMBERS[m].equals(name)) {
                return m;
            }
        }
        return -1;
    }

    /** A new, empty set of one chunk's members for {@link #accept(JsonNode[])}. */
    static JsonNode[] newChunkMembers() {
        return new JsonNode[MEMBERS.length];
    }

    /** Whether the next chunk's value of member {@code m} can still change the header (worth reading). */
    boolean wants(int m) {
        return m == USAGE || values[m] == null;
    }

    /** Takes one chunk's members, indexed by {@link #member} (null where the chunk has none). */
    void accept(JsonNode[] chunkMembers) {
        chunks++;
        for (int m = 0; m < MEMBERS.length; m++) {
            JsonNode v = chunkMembers[m];
            if (v != null && !v.isNull() && wants(m)) {
                values[m] = v;
            }
        }
    }

    /** Takes one parsed chunk object. */
    void accept(JsonNode chunk) {
        JsonNode[] members = newChunkMembers();
        for (int m = 0; m < MEMBERS.length; m++) {
            members[m] = chunk.get(MEMBERS[m]);
        }
        accept(members);
    }

    int chunks() {
        return chunks;
    }

    JsonNode usage() {
        return values[USAGE];
    }

    /** Writes id, object, created, model, service_tier and system_fingerprint (when known). */
    void writeHead(ObjectNode out, String object) {
        out.set("id", values[ID]);
        out.put("object", object);
        out.set("created", values[CREATED]);
        out.set("model", values[MODEL]);
        setIfKnown(out, SERVICE_TIER);
        setIfKnown(out, SYSTEM_FINGERPRINT);
    }

    /** Writes usage, prompt_logprobs and prompt_token_ids (when known). */
    void writeTail(ObjectNode out) {
        setIfKnown(out, USAGE);
        setIfKnown(out, PROMPT_LOGPROBS);
        setIfKnown(out, PROMPT_TOKEN_IDS);
    }

    private void setIfKnown(ObjectNode out, int m) {
        if (values[m] != null) {
            out.set(MEMBERS[m], values[m]);
        }
    }

    static JsonNode firstNonNull(JsonNode current, JsonNode candidate) {
        return current != null || candidate == null || candidate.isNull() ? current : candidate;
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
