package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicToOpenAiResponseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static JsonNode wire(JsonNode n) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(n));
    }

    @Test
    void textThinkingToolUseAndCacheUsage() throws Exception {
        JsonNode msg = json("{'id':'msg_01','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
                + "'content':[{'type':'thinking','thinking':'Let me think.','signature':'sig'},{'type':'redacted_thinking','data':'xx'},"
                + "{'type':'text','text':'I will look.'},{'type':'tool_use','id':'toolu_1','name':'get_weather','input':{'city':'Paris','days':[1,2]}},"
                + "{'type':'text','text':' Done.'}],'stop_reason':'tool_use','stop_sequence':null,"
                + "'usage':{'input_tokens':10,'cache_creation_input_tokens':200,'cache_read_input_tokens':3000,'output_tokens':42}}");
        JsonNode out = wire(AnthropicToOpenAiResponse.translate(msg, "gpt-4o", 1700000000L));
        assertThat(out).isEqualTo(json("{'id':'msg_01','object':'chat.completion','created':1700000000,'model':'gpt-4o',"
                + "'choices':[{'index':0,'message':{'role':'assistant','content':'I will look. Done.','reasoning_content':'Let me think.',"
                + "'tool_calls':[{'id':'toolu_1','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\',\\'days\\':[1,2]}'}}]},"
                + "'logprobs':null,'finish_reason':'tool_calls'}],"
                + "'usage':{'prompt_tokens':3210,'completion_tokens':42,'total_tokens':3252,"
                + "'prompt_tokens_details':{'cached_tokens':3000,'cache_creation_tokens':200}}}"));
    }

    @Test
    void contentIsNullWithOnlyToolCallsAndEmptyWithNothing() {
        JsonNode tools = AnthropicToOpenAiResponse.translate(json("{'id':'m','content':[{'type':'tool_use','id':'t','name':'f','input':{}}],"
                + "'stop_reason':'tool_use','usage':{'input_tokens':1,'output_tokens':1}}"), "x", 1);
        assertThat(tools.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(tools.at("/choices/0/message/tool_calls/0/function/arguments").asText()).isEqualTo("{}");
        JsonNode empty = AnthropicToOpenAiResponse.translate(json("{'id':'m','content':[],'stop_reason':'end_turn'}"), "x", 1);
        assertThat(empty.at("/choices/0/message")).isEqualTo(json("{'role':'assistant','content':''}"));
        assertThat(empty.has("usage")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "tool_use,tool_calls", "pause_turn,stop",
        "refusal,content_filter", "model_context_window_exceeded,length", "something_new,stop"})
    void stopReasons(String stopReason, String finishReason) {
        JsonNode out = AnthropicToOpenAiResponse.translate(json("{'id':'m','content':[{'type':'text','text':'a'}],'stop_reason':'" + stopReason + "'}"), "x");
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo(finishReason);
        assertThat(out.get("created").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void oddInputDoesNotThrow() {
        assertThat(AnthropicToOpenAiResponse.translate(null, "x", 1).at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(AnthropicToOpenAiResponse.translate(json("{'content':'text?','usage':{'input_tokens':'many'}}"), "x", 1)
                .at("/usage/prompt_tokens").asInt()).isZero();
    }
}
