package io.tracegate.protocol.openai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway needs from an OpenAI-style request body, read in one streaming pass over the top
 * level (nested values are skipped, never materialised).
 *
 * <p>Duplicate top-level keys are all listed in {@link #members()}; the scalar fields follow the
 * last occurrence, like most JSON parsers. All offsets are byte offsets into the parsed array.
 *
 * @param model               the top-level {@code model} string, or {@code null} if absent or not a string
 * @param modelNotString      {@code model} is present but not a string (including {@code null})
 * @param stream              {@code stream} is literally {@code true}; absent, {@code null} or false give false
 * @param streamNotBoolean    {@code stream} is present with a value other than a boolean or {@code null}
 * @param streamOptionsPresent {@code stream_options} is present and is an object
 * @param includeUsage        {@code stream_options.include_usage} is literally {@code true}
 * @param objectStart         offset of the opening {@code '{'}
 * @param objectEnd           offset of the closing {@code '}'}
 * @param members             every top-level member in body order
 */
public record RequestPeek(
        String model,
        boolean modelNotString,
        boolean stream,
        boolean streamNotBoolean,
        boolean streamOptionsPresent,
        boolean includeUsage,
        int objectStart,
        int objectEnd,
        List<Member> members) {

    /**
     * One top-level member.
     *
     * @param name       the decoded key
     * @param keyStart   offset of the key's opening quote
     * @param valueStart offset of the value's first byte
     * @param valueEnd   offset just past the value's last byte
     */
    public record Member(String name, int keyStart, int valueStart, int valueEnd) {
    }

    /** Canonical constructor; copies {@code members}. */
    public RequestPeek {
        members = List.copyOf(members);
    }

    /**
     * Reads {@code body} (UTF-8 JSON): plain JSON in one fast pass ({@link RequestScanner}), anything else
     * with Jackson, which also words the errors.
     *
     * @throws MalformedRequestException when the body is not exactly one JSON object
     */
    public static RequestPeek parse(byte[] body) {
        RequestPeek scanned = RequestScanner.scan(body);
        return scanned != null ? scanned : parseWithJackson(body);
    }

    /** The reference reading, and the one for everything {@link RequestScanner} leaves to Jackson. */
    static RequestPeek parseWithJackson(byte[] body) {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedRequestException("Request body is empty; expected a JSON object", 1, 1);
            }
            if (t != JsonToken.START_OBJECT) {
                JsonLocation at = p.currentTokenLocation();
                throw malformed("Request body must be a JSON object, found " + describe(t), at);
            }
            int objectStart = (int) p.currentTokenLocation().getByteOffset();
            String model = null;
            boolean modelNotString = false;
            boolean stream = false;
            boolean streamNotBoolean = false;
            boolean streamOptions = false;
            boolean includeUsage = false;
            List<Member> members = new ArrayList<>(16);
            String pendingName = null;
            int pendingKeyStart = -1;
            int pendingValueStart = -1;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int keyStart = (int) p.currentTokenLocation().getByteOffset();
                if (pendingName != null) {
                    members.add(new Member(pendingName, pendingKeyStart, pendingValueStart,
                            valueEnd(body, keyStart, true)));
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                pendingName = name;
                pendingKeyStart = keyStart;
                pendingValueStart = (int) p.currentTokenLocation().getByteOffset();
                switch (name) {
                    case "model" -> {
                        model = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        modelNotString = v != JsonToken.VALUE_STRING;
                    }
                    case "stream" -> {
                        stream = v == JsonToken.VALUE_TRUE;
                        streamNotBoolean = v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE
                                && v != JsonToken.VALUE_NULL;
                    }
                    case "stream_options" -> {
                        streamOptions = v == JsonToken.START_OBJECT;
                        includeUsage = streamOptions && readIncludeUsage(p);
                    }
                    default -> {
                    }
                }
                p.skipChildren(); // no-op for scalars and for an already-consumed stream_options
            }
            if (t != JsonToken.END_OBJECT) {
                throw malformed("Unexpected " + describe(t) + " in request object", p.currentTokenLocation());
            }
            int objectEnd = (int) p.currentTokenLocation().getByteOffset();
            if (pendingName != null) {
                members.add(new Member(pendingName, pendingKeyStart, pendingValueStart,
                        valueEnd(body, objectEnd, false)));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw malformed("Unexpected content after the JSON object: " + describe(trailing),
                        p.currentTokenLocation());
            }
            return new RequestPeek(model, modelNotString, stream, streamNotBoolean, streamOptions,
                    includeUsage, objectStart, objectEnd, members);
        } catch (JsonProcessingException e) {
            throw malformed(e.getOriginalMessage(), e.getLocation());
        } catch (IOException e) {
            throw new MalformedRequestException("Unreadable request body: " + e.getMessage(), -1, -1);
        }
    }

    /** The last member called {@code name}, or {@code null}. */
    public Member member(String name) {
        for (int i = members.size() - 1; i >= 0; i--) {
            Member m = members.get(i);
            if (m.name.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** True when a top-level member called {@code name} exists. */
    public boolean has(String name) {
        return member(name) != null;
    }

    /** Reads the {@code stream_options} object the parser is positioned on; leaves it on its end. */
    private static boolean readIncludeUsage(JsonParser p) throws IOException {
        boolean include = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            boolean isInclude = "include_usage".equals(p.currentName());
            JsonToken v = p.nextToken();
            if (isInclude) {
                include = v == JsonToken.VALUE_TRUE;
            }
            p.skipChildren();
        }
        return include;
    }

    /**
     * The end of the value that precedes {@code next} (the next key's quote, or the closing brace):
     * walk back over whitespace, and over the separating comma when a key follows.
     */
    private static int valueEnd(byte[] body, int next, boolean commaBetween) {
        int i = next - 1;
        while (isWhitespace(body[i])) {
            i--;
        }
        if (commaBetween) {
            i--; // the ','
            while (isWhitespace(body[i])) {
                i--;
            }
        }
        return i + 1;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() != null ? "'" + t.asString() + "'" : t.name();
        };
    }

    private static MalformedRequestException malformed(String what, JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return new MalformedRequestException("Malformed JSON in request body: " + what, -1, -1);
        }
        return new MalformedRequestException("Malformed JSON in request body at line " + at.getLineNr()
                + ", column " + at.getColumnNr() + ": " + what, at.getLineNr(), at.getColumnNr());
    }
}
