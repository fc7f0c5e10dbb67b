package io.tracegate.protocol.sse;

import java.nio.charset.StandardCharsets;

/**
 * Parsing of single SSE frames as produced by {@link SseFrameSplitter}, following the WHATWG
 * event-stream rules: lines end with LF, CRLF or CR; lines starting with {@code ':'} are comments;
 * {@code field: value} with one optional space after the colon; a line without a colon is a field
 * with an empty value; unknown fields are ignored.
 */
public final class SseEvents {

    private static final byte[] DONE_BYTES = SseFrame.DONE.getBytes(StandardCharsets.US_ASCII);

    private SseEvents() {
    }

    /** Parses one frame (raw bytes, terminator optional). */
    public static SseFrame parse(byte[] frame) {
        return parse(frame, 0, frame.length);
    }

    /** Parses one frame held in {@code frame[off, off+len)}. */
    public static SseFrame parse(byte[] frame, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, frame.length);
        String event = null;
        String id = null;
        StringBuilder multiData = null;
        String data = null;
        int end = off + len;
        int pos = skipBom(frame, off, end);
        while (pos < end) {
            int lineEnd = lineEnd(frame, pos, end);
            if (lineEnd > pos && frame[pos] != ':') {
                int colon = indexOf(frame, (byte) ':', pos, lineEnd);
                int nameEnd = colon < 0 ? lineEnd : colon;
                int valueStart = colon < 0 ? lineEnd : colon + 1;
                if (valueStart < lineEnd && frame[valueStart] == ' ') {
                    valueStart++;
                }
                int nameLen = nameEnd - pos;
                if (is(frame, pos, nameLen, "data")) {
                    String value = new String(frame, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
                    if (data == null) {
                        data = value;
                    } else {
                        if (multiData == null) {
                            multiData = new StringBuilder(data);
                        }
                        multiData.append('\n').append(value);
                    }
                } else if (is(frame, pos, nameLen, "event")) {
                    event = new String(frame, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
                } else if (is(frame, pos, nameLen, "id")) {
                    if (indexOf(frame, (byte) 0, valueStart, lineEnd) < 0) {
                        id = new String(frame, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
                    }
                }
            }
            pos = nextLine(frame, lineEnd, end);
        }
        return new SseFrame(event, multiData != null ? multiData.toString() : data, id);
    }

    /**
     * True when the frame's data is exactly {@code [DONE]} (one data line). Allocation-free.
     */
    public static boolean isDone(byte[] frame) {
        int dataLines = 0;
        boolean done = false;
        int end = frame.length;
        int pos = skipBom(frame, 0, end);
        while (pos < end) {
            int lineEnd = lineEnd(frame, pos, end);
            if (lineEnd - pos >= 4 && is(frame, pos, 4, "data")
                    && (lineEnd - pos == 4 || frame[pos + 4] == ':')) {
                dataLines++;
                int v = Math.min(pos + 5, lineEnd);
                if (v < lineEnd && frame[v] == ' ') {
                    v++;
                }
                done = lineEnd - v == DONE_BYTES.length && regionEquals(frame, v, DONE_BYTES);
            }
            pos = nextLine(frame, lineEnd, end);
        }
        return dataLines == 1 && done;
    }

    /**
     * True when {@code data}, a payload returned by {@link #data(byte[])}, is exactly {@code [DONE]}: the
     * same answer as {@link #isDone(byte[])} on its frame (a payload joined from several data lines holds a
     * {@code '\n'}, so it never equals it), without scanning the frame again.
     */
    public static boolean isDoneData(byte[] data) {
        return data != null && java.util.Arrays.equals(data, DONE_BYTES);
    }

    /**
     * The data payload as UTF-8 bytes (lines joined with {@code '\n'}), or {@code null} when the frame
     * has no data line. Cheaper than {@link #parse(byte[])} when only the JSON payload is needed.
     */
    public static byte[] data(byte[] frame) {
        byte[] out = null;
        int outLen = 0;
        int end = frame.length;
        int pos = skipBom(frame, 0, end);
        while (pos < end) {
            int lineEnd = lineEnd(frame, pos, end);
            if (lineEnd - pos >= 4 && is(frame, pos, 4, "data")
                    && (lineEnd - pos == 4 || frame[pos + 4] == ':')) {
                int v = Math.min(pos + 5, lineEnd);
                if (v < lineEnd && frame[v] == ' ') {
                    v++;
                }
                int n = lineEnd - v;
                if (out == null) {
                    out = java.util.Arrays.copyOfRange(frame, v, lineEnd);
                    outLen = n;
                } else {
                    out = java.util.Arrays.copyOf(out, outLen + 1 + n);
                    out[outLen] = '\n';
                    System.arraycopy(frame, v, out, outLen + 1, n);
                    outLen += 1 + n;
                }
            }
            pos = nextLine(frame, lineEnd, end);
        }
        return out;
    }

    private static int skipBom(byte[] b, int pos, int end) {
        if (end - pos >= 3 && b[pos] == (byte) 0xEF && b[pos + 1] == (byte) 0xBB && b[pos + 2] == (byte) 0xBF) {
            return pos + 3;
        }
        return pos;
    }

    private static int lineEnd(byte[] b, int pos, int end) {
        while (pos < end && b[pos] != '\n' && b[pos] != '\r') {
            pos++;
        }
        return pos;
    }

    private static int nextLine(byte[] b, int lineEnd, int end) {
        if (lineEnd < end && b[lineEnd] == '\r' && lineEnd + 1 < end && b[lineEnd + 1] == '\n') {
            return lineEnd + 2;
        }
        return lineEnd + 1;
    }

    private static int indexOf(byte[] b, byte target, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return -1;
    }

    private static boolean is(byte[] b, int pos, int len, String ascii) {
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[pos + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionEquals(byte[] b, int pos, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[pos + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
