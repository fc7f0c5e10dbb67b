package io.tracegate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Recognises the OpenAI "usage-only" stream chunk (sent when {@code stream_options.include_usage}
 * is true): {@code choices} empty or absent AND {@code usage} a non-null object. The gateway hides
 * that chunk from clients that did not ask for usage.
 */
public final class UsageChunk {

    private UsageChunk() {
    }

    /**
     * Checks the raw JSON data of one chunk with a streaming parser, top level only; returns as soon
     * as the answer is known. Malformed input yields {@code false} (never throws).
     */
    public static boolean isUsageOnly(byte[] json) {
        return isUsageOnly(json, 0, json.length);
    }

    /** {@link #isUsageOnly(byte[])} over {@code json[off, off+len)}. */
    public static boolean isUsageOnly(byte[] json, int off, int len) {
        try (JsonParser p = Json.FACTORY.createParser(json, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean usage = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("choices".equals(name)) {
                    if (v == JsonToken.START_ARRAY) {
                        if (p.nextToken() != JsonToken.END_ARRAY) {
                            return false; // non-empty choices: a regular chunk
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                } else if ("usage".equals(name)) {
                    usage = v == JsonToken.START_OBJECT;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            return t == JsonToken.END_OBJECT && usage;
        } catch (IOException e) {
            return false;
        }
    }

    /** The same check on an already parsed chunk. */
    public static boolean isUsageOnly(JsonNode chunk) {
        JsonNode choices = chunk.get("choices");
        JsonNode usage = chunk.get("usage");
        boolean noChoices = choices == null || choices.isNull() || (choices.isArray() && choices.isEmpty());
        return noChoices && usage != null && usage.isObject();
    }
}
