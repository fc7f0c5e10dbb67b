package io.tracegate.protocol.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One edit of a request body's top-level object, applied by {@link JsonSplicer}. Values are given
 * already serialised as JSON; they are inserted verbatim (the caller guarantees they are valid).
 */
public sealed interface TopLevelEdit {

    /** The top-level key this edit touches. */
    String key();

    /**
     * Sets {@code key} to {@code valueJson}: replaces the value of every existing occurrence, or
     * inserts the member right after the opening brace when the key is absent.
     *
     * @param key       top-level key (escaped as needed when inserted)
     * @param valueJson serialised JSON value, UTF-8
     */
    record SetField(String key, byte[] valueJson) implements TopLevelEdit {
        /** Copies {@code valueJson}. */
        public SetField {
            if (key == null || valueJson == null || valueJson.length == 0) {
                throw new IllegalArgumentException("key and a non-empty value are required");
            }
            valueJson = valueJson.clone();
        }

        /** A copy of the serialised value. */
        @Override
        public byte[] valueJson() {
            return valueJson.clone();
        }

        byte[] rawValue() {
            return valueJson;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetField s && s.key.equals(key) && Arrays.equals(s.valueJson, valueJson);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(valueJson);
        }

        @Override
        public String toString() {
            return "SetField[" + key + "=" + new String(valueJson, StandardCharsets.UTF_8) + "]";
        }
    }

    /** Removes every occurrence of {@code key}; a no-op when it is absent. */
    record RemoveField(String key) implements TopLevelEdit {
        /** Validates the key. */
        public RemoveField {
            if (key == null) {
                throw new IllegalArgumentException("key is required");
            }
        }
    }

    /** {@link SetField} from a serialised JSON string, e.g. {@code set("model", "\"gpt-4o\"")}. */
    static TopLevelEdit set(String key, String valueJson) {
        return new SetField(key, valueJson.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link SetField} from serialised JSON bytes. */
    static TopLevelEdit set(String key, byte[] valueJson) {
        return new SetField(key, valueJson);
    }

    /** {@link SetField} with a JSON string value (quoted and escaped here). */
    static TopLevelEdit setString(String key, String value) {
        return new SetField(key, JsonSplicer.quote(value));
    }

    /** {@link RemoveField}. */
    static TopLevelEdit remove(String key) {
        return new RemoveField(key);
    }
}
