package io.tracegate.upstream.mock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic toy tokenizer for the mock backend. Tokens partition the text exactly (their
 * concatenation is the input): a run of letters/digits, optionally with one leading space; a single
 * other symbol, optionally with one leading space; or a run of whitespace. A token's id is a stable
 * hash of its UTF-8 bytes, {@code FNV-1a mod 150000 + 1000}.
 */
public final class ToyTokenizer {

    /** Smallest id produced. */
    public static final int MIN_ID = 1000;
    /** Number of distinct ids. */
    public static final int VOCAB = 150_000;

    private ToyTokenizer() {
    }

    /** Splits {@code text} into token strings whose concatenation equals {@code text}. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = i;
            int c = text.codePointAt(i);
            if (c == ' ' && i + 1 < n && !Character.isWhitespace(text.codePointAt(i + 1))) {
                i++;
                c = text.codePointAt(i);
            }
            if (Character.isLetterOrDigit(c)) {
                while (i < n && Character.isLetterOrDigit(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
            } else if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
            } else {
                i += Character.charCount(c);
            }
            out.add(text.substring(start, i));
        }
        return out;
    }

    /** The id of one token string. */
    public static int id(String token) {
        int h = 0x811C9DC5;
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return Integer.remainderUnsigned(h, VOCAB) + MIN_ID;
    }

    /** Ids of {@link #split(String)}. */
    public static int[] encode(String text) {
        List<String> tokens = split(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(tokens.get(i));
        }
        return ids;
    }
}
