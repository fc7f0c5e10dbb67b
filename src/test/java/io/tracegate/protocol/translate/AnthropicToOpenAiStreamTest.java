package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiStreamTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    private static JsonNode data(byte[] frame) {
        String s = text(frame);
        assertThat(s).startsWith("data: ").endsWith("\n\n");
        return json(s.substring(6, s.length() - 2).replace('"', '\''));
    }

    private static final String START = "{'type':'message_start','message':{'id':'msg_9','type':'message','role':'assistant','content':[],"
            + "'model':'claude','stop_reason':null,'usage':{'input_tokens':5,'cache_read_input_tokens':100,'cache_creation_input_tokens':0,'output_tokens':1}}}";

    @Test
    void eachEventMapsToTheExpectedChunk() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 42);
        List<byte[]> first = s.onEvent(json(START));
        assertThat(first).hasSize(1);
        assertThat(data(first.get(0))).isEqualTo(json("{'id':'msg_9','object':'chat.completion.chunk','created':42,'model':'gpt-4o',"
                + "'choices':[{'index':0,'delta':{'role':'assistant','content':''},'logprobs':null,'finish_reason':null}]}"));
        assertThat(s.onEvent(json("{'type':'ping'}"))).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_start','index':0,'content_block':{'type':'thinking','thinking':'','signature':''}}"))).isEmpty();
        assertThat(data(s.onEvent(json("{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'hmm'}}")).get(0))
                .at("/choices/0/delta")).isEqualTo(json("{'reasoning_content':'hmm'}"));
        assertThat(s.onEvent(json("{'type':'content_block_delta','index':0,'delta':{'type':'signature_delta','signature':'abc'}}"))).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_stop','index':0}"))).isEmpty();
        s.onEvent(json("{'type':'content_block_start','index':1,'content_block':{'type':'text','text':''}}"));
        assertThat(data(s.onEvent(json("{'type':'content_block_delta','index':1,'delta':{'type':'text_delta','text':'Hi'}}")).get(0))
                .at("/choices/0/delta")).isEqualTo(json("{'content':'Hi'}"));
        s.onEvent(json("{'type':'content_block_stop','index':1}"));
        assertThat(data(s.onEvent(json("{'type':'content_block_start','index':2,'content_block':{'type':'tool_use','id':'toolu_1','name':'f','input':{}}}")).get(0))
                .at("/choices/0/delta")).isEqualTo(json("{'tool_calls':[{'index':0,'id':'toolu_1','type':'function','function':{'name':'f','arguments':''}}]}"));
        assertThat(s.onEvent(json("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta','partial_json':''}}"))).isEmpty();
        assertThat(data(s.onEvent(json("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta','partial_json':'{\\'a\\': '}}")).get(0))
                .at("/choices/0/delta")).isEqualTo(json("{'tool_calls':[{'index':0,'function':{'arguments':'{\\'a\\': '}}]}"));
        s.onEvent(json("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta','partial_json':'1}'}}"));
        assertThat(s.onEvent(json("{'type':'content_block_stop','index':2}"))).isEmpty();
        s.onEvent(json("{'type':'content_block_start','index':3,'content_block':{'type':'tool_use','id':'toolu_2','name':'g','input':{}}}"));
        List<byte[]> noArgs = s.onEvent(json("{'type':'content_block_stop','index':3}"));
        assertThat(data(noArgs.get(0)).at("/choices/0/delta")).isEqualTo(json("{'tool_calls':[{'index':1,'function':{'arguments':'{}'}}]}"));

        List<byte[]> fin = s.onEvent(json("{'type':'message_delta','delta':{'stop_reason':'tool_use','stop_sequence':null},'usage':{'output_tokens':30}}"));
        assertThat(data(fin.get(0)).at("/choices/0")).isEqualTo(json("{'index':0,'delta':{},'logprobs':null,'finish_reason':'tool_calls'}"));
        assertThat(s.stopReason()).isEqualTo("tool_use");
        assertThat(s.onEvent(json("{'type':'message_stop'}"))).isEmpty();
        List<byte[]> end = s.finish(true);
        assertThat(end).hasSize(2);
        assertThat(data(end.get(0))).isEqualTo(json("{'id':'msg_9','object':'chat.completion.chunk','created':42,'model':'gpt-4o','choices':[],"
                + "'usage':{'prompt_tokens':105,'completion_tokens':30,'total_tokens':135,'prompt_tokens_details':{'cached_tokens':100,'cache_creation_tokens':0}}}"));
        assertThat(text(end.get(1))).isEqualTo("data: [DONE]\n\n");
        assertThat(s.finish(true)).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_delta','index':1,'delta':{'type':'text_delta','text':'late'}}"))).isEmpty();
    }

    @Test
    void finishWithoutUsageAndWithoutStopReason() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 1);
        s.onEvent(json(START));
        List<byte[]> end = s.finish(false);
        assertThat(end).hasSize(2);
        assertThat(data(end.get(0)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(text(end.get(1))).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void finishReasonIsNotDuplicated() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 1);
        s.onEvent(json(START));
        assertThat(s.onEvent(json("{'type':'message_delta','delta':{'stop_reason':'max_tokens'},'usage':{'output_tokens':3}}"))).hasSize(1);
        assertThat(s.onEvent(json("{'type':'message_delta','delta':{'stop_reason':'max_tokens'},'usage':{'output_tokens':4}}"))).isEmpty();
        List<byte[]> end = s.finish(true);
        assertThat(end).hasSize(2);
        assertThat(data(end.get(0)).at("/usage/completion_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void errorEventBecomesAnOpenAiErrorFrameAndEndsTheStream() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 1);
        s.onEvent(json(START));
        List<byte[]> err = s.onEvent(json("{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}"));
        assertThat(data(err.get(0))).isEqualTo(json("{'error':{'message':'Overloaded','type':'server_error','param':null,'code':'overloaded_error'}}"));
        assertThat(s.onEvent(json("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':'x'}}"))).isEmpty();
        assertThat(s.finish(true)).extracting(AnthropicToOpenAiStreamTest::text).containsExactly("data: [DONE]\n\n");
    }

    @Test
    void gatewayErrorFrame() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 1);
        assertThat(data(s.error("upstream timed out", "timeout").get(0)))
                .isEqualTo(json("{'error':{'message':'upstream timed out','type':'timeout','param':null,'code':null}}"));
        assertThat(s.finish(true)).extracting(AnthropicToOpenAiStreamTest::text).containsExactly("data: [DONE]\n\n");
    }

    @Test
    void contentBeforeMessageStartStillGetsARoleChunkAndOddEventsAreIgnored() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o", 1);
        assertThat(s.onEvent(null)).isEmpty();
        assertThat(s.onEvent(json("[1]"))).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_delta','index':5,'delta':{'type':'text_delta','text':'orphan'}}"))).isEmpty();
        List<byte[]> out = s.onEvent(json("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':'Hey'}}"));
        assertThat(out).hasSize(2);
        assertThat(data(out.get(0)).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(data(out.get(1)).at("/choices/0/delta/content").asText()).isEqualTo("Hey");
        assertThat(s.onEvent(json("{'type':'content_block_start','index':1,'content_block':{'type':'server_tool_use','id':'s','name':'web_search','input':{}}}"))).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta','partial_json':'{}'}}"))).isEmpty();
        assertThat(s.onEvent(json("{'type':'content_block_stop','index':1}"))).isEmpty();
    }

    @Test
    void finishBeforeAnythingSendsOnlyDone() {
        AnthropicToOpenAiStream s = new AnthropicToOpenAiStream("gpt-4o");
        assertThat(s.finish(true)).extracting(AnthropicToOpenAiStreamTest::text).containsExactly("data: [DONE]\n\n");
    }
}
