package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.protocol.anthropic.AnthropicStreamAssembler;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: parses emitted frames, checks SSE syntax and the legal Anthropic event order. */
final class AnthropicFrames {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private AnthropicFrames() {
    }

    /** Parses and validates frames; returns the event payloads. */
    static List<JsonNode> parse(List<byte[]> frames) {
        List<JsonNode> events = new ArrayList<>();
        for (byte[] f : frames) {
            String s = new String(f, StandardCharsets.UTF_8);
            assertThat(s).startsWith("event: ").endsWith("\n\n");
            assertThat(s.substring(0, s.length() - 2)).doesNotContain("\n\n");
            SseFrame frame = SseEvents.parse(f);
            try {
                JsonNode data = MAPPER.readTree(frame.data());
                assertThat(data.path("type").asText()).isEqualTo(frame.event());
                events.add(data);
            } catch (Exception e) {
                throw new AssertionError("bad frame " + s, e);
            }
        }
        return events;
    }

    /** Asserts the event order of a complete stream (ending in message_stop or error). */
    static void assertLegalOrder(List<JsonNode> events) {
        assertThat(events).isNotEmpty();
        int open = -1;
        int next = 0;
        boolean delta = false;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            String type = e.path("type").asText();
            if (i == 0) {
                assertThat(type).as("first event").isIn("message_start", "error");
            }
            switch (type) {
                case "message_start" -> assertThat(i).isZero();
                case "content_block_start" -> {
                    assertThat(open).as("block opened while another is open at " + i).isEqualTo(-1);
                    assertThat(delta).isFalse();
                    assertThat(e.path("index").asInt()).isEqualTo(next++);
                    open = e.path("index").asInt();
                }
                case "content_block_delta" -> assertThat(e.path("index").asInt()).isEqualTo(open);
                case "content_block_stop" -> {
                    assertThat(e.path("index").asInt()).isEqualTo(open);
                    open = -1;
                }
                case "message_delta" -> {
                    assertThat(open).isEqualTo(-1);
                    delta = true;
                }
                case "message_stop" -> {
                    assertThat(delta).isTrue();
                    assertThat(i).isEqualTo(events.size() - 1);
                }
                case "error" -> assertThat(i).isEqualTo(events.size() - 1);
                case "ping" -> { }
                default -> throw new AssertionError("unknown event " + type);
            }
        }
        assertThat(events.get(events.size() - 1).path("type").asText()).isIn("message_stop", "error");
    }

    /** Runs chunks through a fresh translator, validates the frames, returns the events. */
    static List<JsonNode> translate(List<JsonNode> chunks, String model) {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream(model);
        List<byte[]> frames = new ArrayList<>();
        for (JsonNode c : chunks) {
            frames.addAll(s.onChunk(c));
        }
        frames.addAll(s.finish());
        assertThat(s.finish()).isEmpty();
        List<JsonNode> events = parse(frames);
        assertLegalOrder(events);
        return events;
    }

    static JsonNode assemble(List<JsonNode> events) {
        AnthropicStreamAssembler a = new AnthropicStreamAssembler();
        events.forEach(a::feed);
        assertThat(a.isComplete()).isTrue();
        return a.result();
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
