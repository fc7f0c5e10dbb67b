package io.tracegate.protocol.anthropic;

/**
 * Incremental structural scanner for a JSON text that arrives in fragments, such as streamed
 * tool-call arguments.
 *
 * <p>Why: a translating proxy must forward argument fragments as they arrive, yet it has to know
 * (a) whether the arguments of one tool call are structurally complete, so it can safely switch to
 * the next parallel call, and (b) how to close a text that was cut off (e.g. at {@code max_tokens})
 * by only <em>appending</em> bytes, because what has been streamed to the client cannot be taken
 * back. This class answers both in O(fragment length) per fragment without re-parsing.
 *
 * <p>It tracks strings, escapes, nesting and what the innermost container expects next. It does
 * not fully validate numbers or literals; the final text is always checked with a real parser by
 * {@link ToolInputJson}. Not thread-safe.
 */
public final class JsonPrefix {

    private enum Expect { VALUE, KEY_OR_END, KEY, COLON, VALUE_OR_END, COMMA_OR_END, DONE }

    private final StringBuilder stack = new StringBuilder();
    private Expect expect = Expect.VALUE;
    private boolean inString;
    private boolean stringIsKey;
    private boolean escape;
    private int unicodeLeft;
    private final StringBuilder literal = new StringBuilder();
    private char first;
    private boolean invalid;

    /** Feeds the next fragment. */
    public void feed(CharSequence fragment) {
        for (int i = 0; i < fragment.length() && !invalid; i++) {
            accept(fragment.charAt(i));
        }
    }

    /** The first non-whitespace character seen, or {@code 0} when none yet. */
    public char firstChar() {
        return first;
    }

    /** True once a complete top-level value has been seen (trailing bytes are not checked). */
    public boolean isComplete() {
        return expect == Expect.DONE && !invalid;
    }

    /** True when a character that cannot continue any JSON text was seen. */
    public boolean isInvalid() {
        return invalid;
    }

    /**
     * Bytes that, appended to everything fed so far, close a cut-off JSON text: an open string is
     * closed, a partial literal completed, a dangling key gets {@code :null}, a dangling colon or
     * array comma gets {@code null}, a dangling object comma gets {@code "_truncated":true}, then
     * every open container is closed. Returns {@code ""} when already complete and {@code null} when
     * no append-only repair exists (nothing seen, or invalid input).
     */
    public String completionSuffix() {
        if (invalid || first == 0) {
            return null;
        }
        if (expect == Expect.DONE) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Expect e = expect;
        if (inString) {
            if (unicodeLeft > 0) {
                out.append("0".repeat(unicodeLeft));
            } else if (escape) {
                out.append('\\');
            }
            out.append('"');
            e = stringIsKey ? Expect.COLON : afterValue(stack.length());
        } else if (literal.length() > 0) {
            out.append(completeLiteral(literal.toString()));
            e = afterValue(stack.length());
        }
        switch (e) {
            case COLON -> out.append(":null");
            case VALUE -> out.append(stack.length() == 0 ? "" : "null");
            case KEY -> out.append("\"_truncated\":true");
            default -> { }
        }
        if (e == Expect.VALUE && stack.length() == 0) {
            return null; // only whitespace or nothing at the top level
        }
        for (int i = stack.length() - 1; i >= 0; i--) {
            out.append(stack.charAt(i) == '{' ? '}' : ']');
        }
        return out.toString();
    }

    private void accept(char c) {
        if (inString) {
            acceptInString(c);
            return;
        }
        boolean ws = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (first == 0 && !ws) {
            first = c;
        }
        if (literal.length() > 0) {
            if (isLiteralChar(c)) {
                literal.append(c);
                return;
            }
            literal.setLength(0);
            valueDone();
        }
        if (ws) {
            return;
        }
        switch (expect) {
            case VALUE, VALUE_OR_END -> startValue(c);
            case KEY_OR_END, KEY -> {
                if (c == '"') {
                    inString = true;
                    stringIsKey = true;
                } else if (c == '}' && expect == Expect.KEY_OR_END) {
                    close('{');
                } else {
                    invalid = true;
                }
            }
            case COLON -> {
                if (c == ':') {
                    expect = Expect.VALUE;
                } else {
                    invalid = true;
                }
            }
            case COMMA_OR_END -> {
                char top = stack.length() == 0 ? 0 : stack.charAt(stack.length() - 1);
                if (c == ',' && top != 0) {
                    expect = top == '{' ? Expect.KEY : Expect.VALUE;
                } else if ((c == '}' && top == '{') || (c == ']' && top == '[')) {
                    close(top);
                } else {
                    invalid = true;
                }
            }
            case DONE -> invalid = true;
        }
    }

    private void startValue(char c) {
        if (c == '{') {
            stack.append('{');
            expect = Expect.KEY_OR_END;
        } else if (c == '[') {
            stack.append('[');
            expect = Expect.VALUE_OR_END;
        } else if (c == ']' && expect == Expect.VALUE_OR_END) {
            close('[');
        } else if (c == '"') {
            inString = true;
            stringIsKey = false;
        } else if (isLiteralChar(c)) {
            literal.append(c);
        } else {
            invalid = true;
        }
    }

    private void acceptInString(char c) {
        if (unicodeLeft > 0) {
            unicodeLeft--;
        } else if (escape) {
            escape = false;
            if (c == 'u') {
                unicodeLeft = 4;
            }
        } else if (c == '\\') {
            escape = true;
        } else if (c == '"') {
            inString = false;
            if (stringIsKey) {
                expect = Expect.COLON;
            } else {
                valueDone();
            }
        }
    }

    private void close(char open) {
        stack.setLength(stack.length() - 1);
        valueDone();
    }

    private void valueDone() {
        expect = afterValue(stack.length());
    }

    private static Expect afterValue(int depth) {
        return depth == 0 ? Expect.DONE : Expect.COMMA_OR_END;
    }

    private static boolean isLiteralChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'E';
    }

    private static String completeLiteral(String lit) {
        for (String word : new String[] {"true", "false", "null"}) {
            if (word.startsWith(lit)) {
                return word.substring(lit.length());
            }
        }
        char last = lit.charAt(lit.length() - 1);
        return last == '-' || last == '+' || last == '.' || last == 'e' || last == 'E' ? "0" : "";
    }
}
