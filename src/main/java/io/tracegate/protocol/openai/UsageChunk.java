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

    /**
     * {@link #isUsageOnly(byte[])} over {@code json[off, off+len)}. Every regular chunk is told apart by a
     * byte scan of its top-level members ({@link #quickAnswer}); only what that scan cannot settle (the
     * usage chunk itself, escaped member names, anything unusual) goes through the streaming parser.
     */
    public static boolean isUsageOnly(byte[] json, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, json.length);
        return quickAnswer(json, off, off + len) == NO ? false : parse(json, off, len);
    }

    static final int NO = 0;
    static final int ASK_THE_PARSER = -1;

    /**
     * {@link #NO} when the top-level members show a non-empty (or non-array, non-null) {@code choices}, or
     * no {@code usage} object by the closing brace; else {@link #ASK_THE_PARSER}. It never says no where the
     * parser says yes: the parser says yes only for a well-formed object, on which this scan reads the same
     * members (names holding escapes are left to the parser); on malformed input the parser says no anyway.
     */
    static int quickAnswer(byte[] b, int from, int end) {
        int i = ws(b, from, end);
        if (i >= end || b[i] != '{') {
            return ASK_THE_PARSER;
        }
        boolean usage = false;
        i = ws(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return NO;
        }
        while (i < end && b[i] == '"') {
            int nameStart = i + 1;
            int nameEnd = nameStart;
            while (nameEnd < end && b[nameEnd] != '"') {
                if (b[nameEnd] == '\\') {
                    return ASK_THE_PARSER;
                }
                nameEnd++;
            }
            i = ws(b, nameEnd + 1, end);
            if (i >= end || b[i] != ':') {
                return ASK_THE_PARSER;
            }
            i = ws(b, i + 1, end);
            if (i >= end) {
                return ASK_THE_PARSER;
            }
            if (named(b, nameStart, nameEnd, "choices")) {
                if (b[i] == '[') {
                    i = ws(b, i + 1, end);
                    if (i >= end || b[i] != ']') {
                        return NO; // a regular chunk: its choices are not empty
                    }
                    i++;
                } else if (b[i] != 'n') {
                    return NO; // neither an array nor null
                } else {
                    i = skipValue(b, i, end);
                }
            } else {
                if (named(b, nameStart, nameEnd, "usage")) {
                    usage = b[i] == '{';
                }
                i = skipValue(b, i, end);
            }
            if (i < 0) {
                return ASK_THE_PARSER;
            }
            i = ws(b, i, end);
            if (i < end && b[i] == '}') {
                return usage ? ASK_THE_PARSER : NO;
            }
            if (i >= end || b[i] != ',') {
                return ASK_THE_PARSER;
            }
            i = ws(b, i + 1, end);
        }
        return ASK_THE_PARSER;
    }

    /** The index after the value starting at {@code i}, or -1 when the input ends inside it. */
    private static int skipValue(byte[] b, int i, int end) {
        int depth = 0;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                i++;
                while (i < end && b[i] != '"') {
                    i += b[i] == '\\' ? 2 : 1;
                }
                if (i >= end) {
                    return -1;
                }
                i++;
                if (depth == 0) {
                    return i;
                }
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i; // a scalar ended by its container's close
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
                return i; // a scalar (number, true, false, null) ends here
            }
            i++;
        }
        return -1;
    }

    private static int ws(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean named(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (b[from + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The streaming parser's answer (the reference {@link #quickAnswer} is tested against). */
    static boolean parse(byte[] json, int off, int len) {
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
