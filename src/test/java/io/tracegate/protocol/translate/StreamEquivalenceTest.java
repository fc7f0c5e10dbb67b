package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.AnthropicFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tracegate.protocol.translate.ScriptedAnswer.Call;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream translation, assembled back into a Message, must equal the non-stream translation of
 * the same answer: same blocks, ids, names, inputs, stop reason and usage.
 */
class StreamEquivalenceTest {

    private static final String WEATHER = "{\"city\": \"Paris\", \"units\": \"celsius\", \"days\": [1, 2, 3]}";
    private static final String READ = "{\"file_path\":\"/tmp/a b.txt\",\"limit\":200,\"escaped\":\"q\\\"uote \\u00e9\"}";

    static Stream<Arguments> answers() {
        String longText = "word ".repeat(400).strip();
        return Stream.of(
                Arguments.of("plain text", new ScriptedAnswer(null, "Hello there, how can I help?", List.of(), "stop", null, 3)),
                Arguments.of("one tool call", new ScriptedAnswer(null, null,
                        List.of(new Call("call_abc", "get_weather", WEATHER)), "tool_calls", null, 4)),
                Arguments.of("parallel tool calls", new ScriptedAnswer(null, null, List.of(
                        new Call("call_1", "get_weather", WEATHER),
                        new Call("call_2", "Read", READ),
                        new Call("call_3", "ListAgents", "{}")), "tool_calls", null, 2)),
                Arguments.of("text then tool call", new ScriptedAnswer(null, "Let me look that up.",
                        List.of(new Call("toolu_01", "Read", READ)), "tool_calls", null, 5)),
                Arguments.of("long output", new ScriptedAnswer(null, longText, List.of(), "stop", null, 1)),
                Arguments.of("max_tokens stop", new ScriptedAnswer(null, "This answer was cut", List.of(), "length", null, 4)),
                Arguments.of("truncated tool arguments", new ScriptedAnswer(null, null,
                        List.of(new Call("call_t", "Write", "{\"file_path\":\"/x\",\"content\":\"abc")), "length", null, 3)),
                Arguments.of("reasoning then text", new ScriptedAnswer("The user greets me. I should greet back.",
                        "Hi!", List.of(), "stop", null, 6)),
                Arguments.of("reasoning, text, tool", new ScriptedAnswer("Need the file.", "Reading it.",
                        List.of(new Call("call_r", "Read", READ)), "tool_calls", null, 7)),
                Arguments.of("stop sequence (vLLM stop_reason)", new ScriptedAnswer(null, "1, 2, 3", List.of(), "stop",
                        TextNode.valueOf("\n\n"), 2)),
                Arguments.of("non-JSON tool arguments", new ScriptedAnswer(null, null,
                        List.of(new Call("call_x", "Bash", "ls -la /tmp")), "tool_calls", null, 3)),
                Arguments.of("empty tool arguments", new ScriptedAnswer(null, null,
                        List.of(new Call("call_e", "ListAgents", ""), new Call("call_f", "Read", READ)), "tool_calls", null, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void streamAssemblesToTheNonStreamMessage(String name, ScriptedAnswer answer) throws Exception {
        // round trip through JSON text: equality of JSON values, not of Java number node classes
        JsonNode expected = AnthropicFrames.MAPPER.readTree(
                OpenAiToAnthropicResponse.translate(answer.nonStream(), "claude-sonnet-4-5").toString());
        List<JsonNode> events = AnthropicFrames.translate(answer.chunks(), "claude-sonnet-4-5");
        JsonNode actual = AnthropicFrames.assemble(events);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.get("usage")).isEqualTo(json(
                "{'input_tokens':176,'cache_creation_input_tokens':0,'cache_read_input_tokens':1024,'output_tokens':87}"));
        assertThat(actual.get("id").asText()).isEqualTo("msg_chatcmpl-42");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void argumentsAreForwardedAsTheyArrive(String name, ScriptedAnswer answer) {
        List<JsonNode> events = AnthropicFrames.translate(answer.chunks(), "m");
        for (Call c : answer.calls()) {
            if (!c.arguments().startsWith("{")) {
                continue; // non-object text is decided at block end
            }
            long deltas = events.stream()
                    .filter(e -> e.path("delta").path("type").asText().equals("input_json_delta"))
                    .filter(e -> indexOfTool(events, c.id()) == e.path("index").asInt())
                    .count();
            assertThat(deltas).as(c.id()).isGreaterThanOrEqualTo((c.arguments().length() + answer.fragment() - 1) / answer.fragment());
        }
    }

    private static int indexOfTool(List<JsonNode> events, String id) {
        return events.stream().filter(e -> id.equals(e.path("content_block").path("id").asText(null)))
                .findFirst().orElseThrow().path("index").asInt();
    }
}
