package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseFrame;
import io.tracegate.protocol.sse.SseFrameSplitter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For scripted Anthropic answers, the stream translation (assembled by {@link ChatStreamAssembler})
 * must equal the non-stream translation of the same message.
 */
class AnthropicStreamEquivalenceTest {

    private static final long CREATED = 1_700_000_000L;
    private static final String MODEL = "gpt-4o";

    static Stream<Arguments> scripts() {
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            longText.append("word").append(i).append(i % 17 == 0 ? "\n" : " ");
        }
        return Stream.of(
                Arguments.of("plain text", AnthropicScript.message("msg_01plain").text("Hello! How can I help you today?")),
                Arguments.of("one tool call", AnthropicScript.message("msg_01tool")
                        .toolUse("toolu_01A", "get_weather", "{\"location\": \"San Francisco, CA\", \"unit\": \"celsius\"}")
                        .stop("tool_use")),
                Arguments.of("parallel tool calls", AnthropicScript.message("msg_01par")
                        .toolUse("toolu_01A", "get_weather", "{\"location\": \"Paris\"}")
                        .toolUse("toolu_01B", "get_time", "{\"timezone\": \"Europe/Paris\", \"format\": {\"h24\": true}}")
                        .toolUse("toolu_01C", "list_files", "{}")
                        .stop("tool_use")),
                Arguments.of("text then tool call", AnthropicScript.message("msg_01tt")
                        .text("Let me check the weather for you.")
                        .toolUse("toolu_01D", "get_weather", "{\"location\": \"Zürich \\\"old town\\\"\", \"days\": [1, 2, 3]}")
                        .stop("tool_use")),
                Arguments.of("long output", AnthropicScript.message("msg_01long").text(longText.toString())
                        .usage(1200, 0, 0, 2400).pieces(3, 2)),
                Arguments.of("max_tokens stop", AnthropicScript.message("msg_01max").text("This answer was cut off mid")
                        .stop("max_tokens").usage(10, 0, 0, 8)),
                Arguments.of("thinking then text", AnthropicScript.message("msg_01think")
                        .thinking("The user asks for 2+2. That is 4.")
                        .text("2 + 2 = 4.")),
                Arguments.of("thinking, text, tool", AnthropicScript.message("msg_01tht")
                        .thinking("I need the weather.")
                        .text("Checking.")
                        .toolUse("toolu_01E", "get_weather", "{\"location\": \"Oslo\"}")
                        .stop("tool_use")),
                Arguments.of("cache read and write", AnthropicScript.message("msg_01cache").text("Cached answer.")
                        .usage(7, 15000, 2048, 5)),
                Arguments.of("stop sequence", AnthropicScript.message("msg_01seq").text("1, 2, 3").stop("stop_sequence")),
                Arguments.of("refusal", AnthropicScript.message("msg_01ref").text("I can't help with that.").stop("refusal")),
                Arguments.of("empty answer", AnthropicScript.message("msg_01empty").usage(5, 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void streamAssemblesToTheNonStreamTranslation(String name, AnthropicScript script) throws Exception {
        AnthropicToOpenAiStream stream = new AnthropicToOpenAiStream(MODEL, CREATED);
        List<byte[]> frames = new ArrayList<>();
        for (JsonNode event : script.toEvents()) {
            frames.addAll(stream.onEvent(event));
        }
        frames.addAll(stream.finish(true));

        List<SseFrame> parsed = parseAsOneSseBody(frames);
        assertThat(parsed).hasSameSizeAs(frames);
        assertThat(parsed.get(parsed.size() - 1).isDone()).isTrue();
        ChatStreamAssembler assembler = new ChatStreamAssembler();
        for (SseFrame f : parsed.subList(0, parsed.size() - 1)) {
            assertThat(f.isDone()).isFalse();
            assertThat(f.event()).isNull();
            JsonNode chunk = AnthropicScript.MAPPER.readTree(f.data());
            assertThat(chunk.has("error")).isFalse();
            assertThat(chunk.get("id").asText()).isEqualTo(script.toMessage().get("id").asText());
            assembler.feed(chunk);
        }

        ObjectNode expected = wire(AnthropicToOpenAiResponse.translate(script.toMessage(), MODEL, CREATED));
        ObjectNode assembled = wire(assembler.result());
        normaliseArguments(expected);
        normaliseArguments(assembled);
        assertThat(assembled).isEqualTo(expected);
        assertThat(assembled.at("/choices/0/finish_reason").asText()).isNotEmpty();
        assertThat(assembled.at("/usage/total_tokens").asInt()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void withoutUsageOnlyTheUsageDiffers(String name, AnthropicScript script) throws Exception {
        AnthropicToOpenAiStream stream = new AnthropicToOpenAiStream(MODEL, CREATED);
        ChatStreamAssembler assembler = new ChatStreamAssembler();
        List<byte[]> frames = new ArrayList<>();
        script.toEvents().forEach(e -> frames.addAll(stream.onEvent(e)));
        frames.addAll(stream.finish(false));
        for (byte[] f : frames.subList(0, frames.size() - 1)) {
            assembler.feed(SseEvents.data(f));
        }
        ObjectNode expected = wire(AnthropicToOpenAiResponse.translate(script.toMessage(), MODEL, CREATED));
        expected.remove("usage");
        ObjectNode assembled = wire(assembler.result());
        normaliseArguments(expected);
        normaliseArguments(assembled);
        assertThat(assembled).isEqualTo(expected);
    }

    /** Concatenates the frames as one response body and splits it again, as a client would. */
    private static List<SseFrame> parseAsOneSseBody(List<byte[]> frames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            String s = new String(f, StandardCharsets.UTF_8);
            assertThat(s).startsWith("data: ").endsWith("\n\n");
            assertThat(s.substring(0, s.length() - 2)).doesNotContain("\n");
            body.writeBytes(f);
        }
        List<SseFrame> out = new ArrayList<>();
        SseFrameSplitter splitter = new SseFrameSplitter();
        splitter.feed(body.toByteArray(), f -> out.add(SseEvents.parse(f)));
        assertThat(splitter.finish()).isNull();
        return out;
    }

    /** What the client sees: serialised and parsed back (so int/long node types compare equal). */
    private static ObjectNode wire(ObjectNode node) throws Exception {
        return (ObjectNode) AnthropicScript.MAPPER.readTree(AnthropicScript.MAPPER.writeValueAsBytes(node));
    }

    /** Arguments are compared as JSON values: Anthropic streams spaced JSON, the non-stream side is compact. */
    private static void normaliseArguments(ObjectNode response) {
        for (JsonNode call : response.at("/choices/0/message/tool_calls")) {
            ObjectNode fn = (ObjectNode) call.get("function");
            fn.put("arguments", AnthropicScript.parse(fn.get("arguments").asText()).toString());
        }
    }
}
