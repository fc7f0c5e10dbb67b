package io.tracegate.protocol.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Formats SSE frames: an optional {@code event:} line, one {@code data:} line per line of the data
 * (so embedded newlines survive a round trip through {@link SseEvents#parse(byte[])}), and the
 * terminating blank line. Output uses {@code "\n"} line endings.
 */
public final class SseWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE_FRAME = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseWriter() {
    }

    /** A frame with the given event name (omitted when {@code null}) and data. */
    public static byte[] frame(String event, String data) {
        return frame(event, data.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame with the given event name (omitted when {@code null}) and UTF-8 data bytes. */
    public static byte[] frame(String event, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 32);
        if (event != null) {
            if (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("event name must not contain a line break");
            }
            out.writeBytes(EVENT);
            out.writeBytes(event.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        int start = 0;
        int i = 0;
        while (i <= data.length) {
            if (i == data.length || data[i] == '\n' || data[i] == '\r') {
                out.writeBytes(DATA);
                out.write(data, start, i - start);
                out.write('\n');
                if (i < data.length && data[i] == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
            i++;
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** A data-only frame ({@code data: ...\n\n}), the shape OpenAI streams use. */
    public static byte[] data(String data) {
        return frame(null, data);
    }

    /** A data-only frame from UTF-8 bytes, e.g. compact JSON. */
    public static byte[] data(byte[] data) {
        return frame(null, data);
    }

    /** A fresh copy of {@code data: [DONE]\n\n}. */
    public static byte[] done() {
        return DONE_FRAME.clone();
    }
}
