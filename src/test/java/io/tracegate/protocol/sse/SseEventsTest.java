package io.tracegate.protocol.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEventDataAndId() {
        SseFrame f = SseEvents.parse(b("event: message_start\r\nid: 42\r\ndata: {\"a\":1}\r\n\r\n"));
        assertThat(f).isEqualTo(new SseFrame("message_start", "{\"a\":1}", "42"));
        assertThat(f.isDone()).isFalse();
    }

    @Test
    void joinsMultiLineDataWithNewlines() {
        assertThat(SseEvents.parse(b("data: a\ndata:b\ndata:  c\rdata\n\n")).data()).isEqualTo("a\nb\n c\n");
    }

    @Test
    void commentsAndKeepAlivesHaveNoData() {
        SseFrame f = SseEvents.parse(b(": ping\n\n"));
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.event()).isNull();
        assertThat(SseEvents.parse(b("\n")).data()).isNull();
    }

    @Test
    void ignoresUnknownFieldsAndBom() {
        SseFrame f = SseEvents.parse(b("\uFEFFretry: 10\nfoo: bar\ndata: x\n\n"));
        assertThat(f).isEqualTo(new SseFrame(null, "x", null));
    }

    @Test
    void detectsDone() {
        assertThat(SseEvents.isDone(b("data: [DONE]\n\n"))).isTrue();
        assertThat(SseEvents.isDone(b("data:[DONE]\r\n\r\n"))).isTrue();
        assertThat(SseEvents.isDone(b("data: [DONE]"))).isTrue();
        assertThat(SseEvents.isDone(b("data: [DONE] \n\n"))).isFalse();
        assertThat(SseEvents.isDone(b("data: {\"x\":1}\n\n"))).isFalse();
        assertThat(SseEvents.isDone(b("data: [DONE]\ndata: more\n\n"))).isFalse();
        assertThat(SseEvents.isDone(b("database: [DONE]\n\n"))).isFalse();
        assertThat(SseEvents.parse(b("data: [DONE]\n\n")).isDone()).isTrue();
    }

    @Test
    void isDoneDataOnTheExtractedPayloadAnswersLikeIsDoneOnTheFrame() {
        for (String frame : java.util.List.of("data: [DONE]\n\n", "data:[DONE]\r\n\r\n", "data: [DONE]",
                "data: [DONE] \n\n", "data: {\"x\":1}\n\n", "data: [DONE]\ndata: more\n\n", "data:\ndata: [DONE]\n\n",
                "data: [DONE]\ndata:\n\n", "database: [DONE]\n\n", ": comment\n\n", "event: x\ndata: [DONE]\n\n",
                "\uFEFFdata: [DONE]\n\n", "data\n\n", "")) {
            assertThat(SseEvents.isDoneData(SseEvents.data(b(frame)))).as(frame).isEqualTo(SseEvents.isDone(b(frame)));
        }
    }

    @Test
    void extractsDataBytes() {
        assertThat(new String(SseEvents.data(b("event: x\ndata: {\"a\":\"é\"}\n\n")), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"é\"}");
        assertThat(new String(SseEvents.data(b("data: a\r\ndata: b\r\n\r\n")), StandardCharsets.UTF_8))
                .isEqualTo("a\nb");
        assertThat(SseEvents.data(b(": comment\n\n"))).isNull();
    }

    @Test
    void writerRoundTrips() {
        byte[] frame = SseWriter.frame("content_block_delta", "{\"t\":\"x\"}");
        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("event: content_block_delta\ndata: {\"t\":\"x\"}\n\n");
        assertThat(SseEvents.parse(frame)).isEqualTo(new SseFrame("content_block_delta", "{\"t\":\"x\"}", null));

        byte[] multi = SseWriter.data("line1\nline2\r\nline3\r");
        assertThat(new String(multi, StandardCharsets.UTF_8))
                .isEqualTo("data: line1\ndata: line2\ndata: line3\ndata: \n\n");
        assertThat(SseEvents.parse(multi).data()).isEqualTo("line1\nline2\nline3\n");
        assertThat(new String(SseWriter.data(""), StandardCharsets.UTF_8)).isEqualTo("data: \n\n");
        assertThat(SseEvents.isDone(SseWriter.done())).isTrue();
    }
}
