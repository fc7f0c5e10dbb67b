package io.tracegate.protocol.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseFrameSplitterTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> splitWhole(String input) {
        List<String> frames = new ArrayList<>();
        SseFrameSplitter s = new SseFrameSplitter();
        s.feed(b(input), f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        byte[] rest = s.finish();
        if (rest != null) {
            frames.add("REST:" + new String(rest, StandardCharsets.UTF_8));
        }
        return frames;
    }

    @Test
    void emitsFramesWithTheirTerminators() {
        assertThat(splitWhole("data: a\n\ndata: b\n\n")).containsExactly("data: a\n\n", "data: b\n\n");
        assertThat(splitWhole("data: a\r\n\r\nevent: x\r\ndata: b\r\n\r\n"))
                .containsExactly("data: a\r\n\r\n", "event: x\r\ndata: b\r\n\r\n");
        assertThat(splitWhole("data: a\r\rdata: b\r\r")).containsExactly("data: a\r\r", "REST:data: b\r\r");
        assertThat(splitWhole("data: a\n\r\ndata: b\r\n\n")).containsExactly("data: a\n\r\n", "data: b\r\n\n");
    }

    @Test
    void multiLineDataStaysInOneFrame() {
        assertThat(splitWhole("data: a\ndata: b\n\n")).containsExactly("data: a\ndata: b\n\n");
    }

    @Test
    void trailingPartialIsReturnedByFinish() {
        assertThat(splitWhole("data: a\n\ndata: par")).containsExactly("data: a\n\n", "REST:data: par");
        SseFrameSplitter s = new SseFrameSplitter();
        assertThat(s.finish()).isNull();
    }

    @Test
    void heldCarriageReturnFrameIsReleasedByNextByteOrFinish() {
        SseFrameSplitter s = new SseFrameSplitter();
        List<String> frames = new ArrayList<>();
        s.feed(b("data: a\r\r"), f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        assertThat(frames).isEmpty(); // a '\n' might still follow
        s.feed(b("d"), f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        assertThat(frames).containsExactly("data: a\r\r");
        assertThat(new String(s.finish(), StandardCharsets.UTF_8)).isEqualTo("d");

        SseFrameSplitter t = new SseFrameSplitter();
        List<String> more = new ArrayList<>();
        t.feed(b("data: [DONE]\r\n\r"), f -> more.add(new String(f, StandardCharsets.UTF_8)));
        assertThat(t.finish(f -> more.add(new String(f, StandardCharsets.UTF_8)))).isNull();
        assertThat(more).containsExactly("data: [DONE]\r\n\r");
    }

    @Test
    void keepAliveBlankLinesBecomeEmptyFrames() {
        assertThat(splitWhole("\n\ndata: a\n\n")).containsExactly("\n", "\n", "data: a\n\n");
        assertThat(splitWhole(": ping\n\n")).containsExactly(": ping\n\n");
    }

    @Test
    void byteBufferVariantsWork() {
        List<String> frames = new ArrayList<>();
        SseFrameSplitter s = new SseFrameSplitter();
        ByteBuffer heap = ByteBuffer.wrap(b("xxdata: a\n\ndata"), 2, 13).slice();
        s.feed(heap, f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        assertThat(heap.hasRemaining()).isFalse();
        ByteBuffer direct = ByteBuffer.allocateDirect(6);
        direct.put(b(": b\n\n")).flip();
        s.feed(direct, f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        assertThat(frames).containsExactly("data: a\n\n", "data: b\n\n");
    }

    @Test
    void refusesOversizedFrames() {
        SseFrameSplitter s = new SseFrameSplitter(8);
        assertThatThrownBy(() -> s.feed(b("data: 0123456789"), f -> { }))
                .isInstanceOf(SseFrameTooLargeException.class).hasMessageContaining("8 bytes");
        // complete frames inside one chunk are never buffered, so the limit is about buffering
        SseFrameSplitter t = new SseFrameSplitter(8);
        List<byte[]> frames = new ArrayList<>();
        t.feed(b("data: 0123456789\n\n"), frames::add);
        assertThat(frames).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n",
        "event: message_start\r\ndata: {\"x\":\"y\"}\r\n\r\n: ping\r\n\r\nevent: e\r\ndata: 1\r\ndata: 2\r\n\r\n",
        "data: a\r\rdata: b\r\r\ndata: c\n\r\n\ndata: d\r\n\ndata: tail",
        "\n\r\n\r\rdata: é漢字🙂\n\nid: 7\nretry: 10\ndata\n\n",
    })
    void everySplitPointYieldsTheSameFrames(String input) {
        byte[] bytes = b(input);
        List<byte[]> reference = frames(bytes, new int[0]);
        assertThat(concat(reference)).isEqualTo(bytes);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(frames(bytes, new int[] {cut})).as("cut at %d", cut)
                    .usingElementComparator(SseFrameSplitterTest::compareBytes).isEqualTo(reference);
        }
        for (int c1 = 0; c1 <= bytes.length; c1++) {
            for (int c2 = c1; c2 <= bytes.length; c2++) {
                assertThat(frames(bytes, new int[] {c1, c2})).as("cuts at %d,%d", c1, c2)
                        .usingElementComparator(SseFrameSplitterTest::compareBytes).isEqualTo(reference);
            }
        }
        // byte-by-byte
        int[] all = new int[bytes.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        assertThat(frames(bytes, all)).usingElementComparator(SseFrameSplitterTest::compareBytes).isEqualTo(reference);
    }

    @Test
    void randomStreamsRandomlyChunked() {
        Random random = new Random(42);
        String[] pieces = {"data: ", "x", "é", "{\"k\":\"v\"}", "\n", "\r", "\r\n", ":", "event: e", " "};
        for (int round = 0; round < 300; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = b(sb.toString());
            List<byte[]> reference = frames(bytes, new int[0]);
            assertThat(concat(reference)).isEqualTo(bytes);
            int[] cuts = random.ints(random.nextInt(6), 0, bytes.length + 1).sorted().toArray();
            assertThat(frames(bytes, cuts)).as("input %s cuts %s", sb, java.util.Arrays.toString(cuts))
                    .usingElementComparator(SseFrameSplitterTest::compareBytes).isEqualTo(reference);
            for (byte[] f : reference.subList(0, Math.max(0, reference.size() - 1))) {
                assertThat(endsWithBlankLine(f)).as("frame %s", new String(f, StandardCharsets.UTF_8)).isTrue();
            }
        }
    }

    /** Feeds {@code bytes} cut at the given sorted offsets; the finish() remainder is appended last. */
    private static List<byte[]> frames(byte[] bytes, int[] cuts) {
        SseFrameSplitter s = new SseFrameSplitter();
        List<byte[]> out = new ArrayList<>();
        int prev = 0;
        for (int cut : cuts) {
            s.feed(bytes, prev, cut - prev, out::add);
            prev = cut;
        }
        s.feed(bytes, prev, bytes.length - prev, out::add);
        byte[] rest = s.finish();
        if (rest != null) {
            out.add(rest);
        }
        return out;
    }

    private static byte[] concat(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }

    private static boolean endsWithBlankLine(byte[] f) {
        String s = new String(f, StandardCharsets.UTF_8);
        return s.equals("\n") || s.equals("\r") || s.equals("\r\n")
                || s.endsWith("\n\n") || s.endsWith("\r\r") || s.endsWith("\r\n\r\n") || s.endsWith("\n\r\n")
                || s.endsWith("\r\n\n") || s.endsWith("\n\r") || s.endsWith("\r\r\n");
    }
}
