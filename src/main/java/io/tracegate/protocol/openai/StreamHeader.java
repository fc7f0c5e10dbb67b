package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Top-level fields shared by chat and completion stream chunks: the first non-null value of each
 * identity field wins, the last non-null usage wins, vLLM prompt token ids come from the first chunk
 * that carries them.
 */
final class StreamHeader {
    private JsonNode id;
    private JsonNode created;
    private JsonNode model;
    private JsonNode systemFingerprint;
    private JsonNode serviceTier;
    private JsonNode usage;
    private JsonNode promptTokenIds;
    private JsonNode promptLogprobs;
    private int chunks;

    void accept(JsonNode chunk) {
        chunks++;
        id = firstNonNull(id, chunk.get("id"));
        created = firstNonNull(created, chunk.get("created"));
        model = firstNonNull(model, chunk.get("model"));
        systemFingerprint = firstNonNull(systemFingerprint, chunk.get("system_fingerprint"));
        serviceTier = firstNonNull(serviceTier, chunk.get("service_tier"));
        promptTokenIds = firstNonNull(promptTokenIds, chunk.get("prompt_token_ids"));
        promptLogprobs = firstNonNull(promptLogprobs, chunk.get("prompt_logprobs"));
        JsonNode u = chunk.get("usage");
        if (u != null && !u.isNull()) {
            usage = u;
        }
    }

    int chunks() {
        return chunks;
    }

    JsonNode usage() {
        return usage;
    }

    /** Writes id, object, created, model, service_tier and system_fingerprint (when known). */
    void writeHead(ObjectNode out, String object) {
        out.set("id", id);
        out.put("object", object);
        out.set("created", created);
        out.set("model", model);
        if (serviceTier != null) {
            out.set("service_tier", serviceTier);
        }
        if (systemFingerprint != null) {
            out.set("system_fingerprint", systemFingerprint);
        }
    }

    /** Writes usage, prompt_logprobs and prompt_token_ids (when known). */
    void writeTail(ObjectNode out) {
        if (usage != null) {
            out.set("usage", usage);
        }
        if (promptLogprobs != null) {
            out.set("prompt_logprobs", promptLogprobs);
        }
        if (promptTokenIds != null) {
            out.set("prompt_token_ids", promptTokenIds);
        }
    }

    static JsonNode firstNonNull(JsonNode current, JsonNode candidate) {
        return current != null || candidate == null || candidate.isNull() ? current : candidate;
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
