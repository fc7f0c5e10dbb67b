package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
  * The mock's token ids follow a ChatML template, so that a conversation's turns extend each other: the prompt
  * ids of turn k+1 start with turn k's prompt ids + response ids, which is what a trajectory merge needs.
  */
class MockConversationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockResponder MOCK = MockResponder.fixed(1_700_000_000L);
    private static final String MODEL = "mock-vllm";
    private static final int IM_START = 151644;
    private static final int IM_END = 151645;
    private static final String WEATHER = "{'type':'function','function':{'name':'get_weather','description':"
            + "'Current weather','parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}}";

    private static ObjectNode json(String s) throws IOException {
        return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    private static int[] text(String s) {
        return ToyTokenizer.encode(s);
    }

    private static int[] ids(JsonNode array) {
        return JSON.convertValue(array, int[].class);
    }

    /** One turn as a vLLM client sees it: the response and the ids. */
    private record Turn(JsonNode message, String finishReason, int[] promptIds, int[] responseIds, int logprobs) {}

    private static Turn send(ObjectNode request, boolean stream) {
        request.put("return_token_ids", true).put("logprobs", true);
        JsonNode response;
        if (stream) {
            ChatStreamAssembler a = new ChatStreamAssembler();
            for (ObjectNode chunk : MOCK.streamChunks(request.deepCopy().put("stream", true), MODEL)) {
                a.feed(chunk);
            }
            response = a.result();
        } else {
            response = MOCK.nonStream(request, MODEL);
        }
        JsonNode choice = response.at("/choices/0");
        return new Turn(choice.get("message"), choice.get("finish_reason").asText(), ids(response.get("prompt_token_ids")),
                ids(choice.get("token_ids")), choice.at("/logprobs/content").size());
    }

    @Test
    void idsFollowTheChatMlTemplate() throws Exception {
        JsonNode r = MOCK.nonStream(json("{'messages':[{'role':'system','content':'Be brief.'},"
                + "{'role':'user','content':'hello'}],'return_token_ids':true}"), MODEL);
        int[] expectedPrompt = concat(new int[] {IM_START}, text("system\n"), text("Be brief."), new int[] {IM_END},
                text("\n"), new int[] {IM_START}, text("user\n"), text("hello"), new int[] {IM_END}, text("\n"),
                new int[] {IM_START}, text("assistant\n"));
        assertThat(ids(r.get("prompt_token_ids"))).containsExactly(expectedPrompt);
        String content = r.at("/choices/0/message/content").asText();
        assertThat(content).isEqualTo("Mock answer to: hello. This reply is deterministic.");
        assertThat(ids(r.at("/choices/0/token_ids"))).containsExactly(concat(text(content), new int[] {IM_END}));
        assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(expectedPrompt.length);
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(text(content).length + 1);
    }

    @Test
    void toolsAreListedInTheSystemMessageAndAToolCallIsWrappedInToolCallTags() throws Exception {
        ObjectNode request = json("{'messages':[{'role':'user','content':'weather in oslo?'}],'return_token_ids':true}");
        request.putArray("tools").add(json(WEATHER));
        JsonNode r = MOCK.nonStream(request, MODEL);
        int[] prompt = ids(r.get("prompt_token_ids"));
        String system = "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + request.at("/tools/0") + "\n</tools>\n\nFor each function call, return a json object with function name"
                + " and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
        assertThat(Arrays.copyOf(prompt, 2 + text("system\n").length + text(system).length))
                .containsExactly(concat(new int[] {IM_START}, text("system\n"), text(system), new int[] {IM_END}));
        assertThat(ids(r.at("/choices/0/token_ids"))).containsExactly(concat(
                text("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "), text("{\"city\":\"Oslo\"}"),
                text("}\n</tool_call>"), new int[] {IM_END}));
        assertThat(r.at("/choices/0/message/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    }

    @Test
    void eachTurnStartsWithThePreviousTurnsPromptAndResponse() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            ObjectNode request = json("{'model':'vllm-mock','messages':[{'role':'system','content':'You are an agent.'},"
                    + "{'role':'user','content':'what is the weather in new york?'}]}");
            request.putArray("tools").add(json(WEATHER));
            ArrayNode messages = (ArrayNode) request.get("messages");
            List<Turn> turns = new ArrayList<>();
            String[] followUps = {null, "and the weather in rome?", null};
            for (int k = 0; k < 4; k++) {
                Turn turn = send(request.deepCopy(), stream);
                turns.add(turn);
                assertThat(turn.responseIds()[turn.responseIds().length - 1]).isEqualTo(IM_END);
                assertThat(turn.logprobs()).isEqualTo(turn.responseIds().length);
                // the client sends the answer back as it received it, then the tool result or its next question
                ObjectNode assistant = turn.message().deepCopy();
                messages.add(assistant);
                if (turn.finishReason().equals("tool_calls")) {
                    JsonNode call = assistant.at("/tool_calls/0");
                    // a client may re-serialise the arguments; the template renders them canonically
                    JsonNode arguments = JSON.readTree(call.at("/function/arguments").asText());
                    ((ObjectNode) call.get("function")).put("arguments",
                            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arguments));
                    messages.addObject().put("role", "tool").put("tool_call_id", call.get("id").asText())
                            .put("content", "sunny, 21 C");
                } else if (k < followUps.length && followUps[k] != null) {
                    messages.addObject().put("role", "user").put("content", followUps[k]);
                }
            }
            assertThat(turns).extracting(Turn::finishReason).containsExactly("tool_calls", "stop", "tool_calls", "stop");
            for (int k = 0; k + 1 < turns.size(); k++) {
                int[] previous = concat(turns.get(k).promptIds(), turns.get(k).responseIds());
                int[] next = turns.get(k + 1).promptIds();
                assertThat(next.length).as("stream=%s turn %d", stream, k + 1).isGreaterThan(previous.length);
                assertThat(Arrays.copyOf(next, previous.length)).as("stream=%s turn %d", stream, k + 1)
                        .containsExactly(previous);
            }
        }
    }

    @Test
    void aTurnCutByMaxTokensIsStillAPrefixOfTheNext() throws Exception {
        ObjectNode first = json("{'messages':[{'role':'user','content':'tell me everything'}],'max_tokens':3}");
        Turn cut = send(first.deepCopy(), false);
        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(cut.responseIds()).hasSize(3).doesNotContain(IM_END);
        ArrayNode messages = (ArrayNode) first.get("messages");
        messages.add(cut.message());
        messages.addObject().put("role", "user").put("content", "go on");
        first.remove("max_tokens");
        int[] next = send(first, false).promptIds();
        int[] previous = concat(cut.promptIds(), cut.responseIds());
        assertThat(Arrays.copyOf(next, previous.length)).containsExactly(previous);
    }

    @Test
    void anEditedHistoryIsNoLongerAPrefix() throws Exception {
        ObjectNode request = json("{'messages':[{'role':'user','content':'hi'}]}");
        Turn turn = send(request.deepCopy(), false);
        ArrayNode messages = (ArrayNode) request.get("messages");
        messages.addObject().put("role", "assistant").put("content", turn.message().get("content").asText() + " (edited)");
        messages.addObject().put("role", "user").put("content", "ok");
        int[] next = send(request, false).promptIds();
        int[] previous = concat(turn.promptIds(), turn.responseIds());
        assertThat(Arrays.copyOf(next, previous.length)).isNotEqualTo(previous);
    }
}
