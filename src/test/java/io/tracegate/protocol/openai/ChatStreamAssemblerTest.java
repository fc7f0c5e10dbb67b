package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatStreamAssemblerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s.replace('\'', '"'));
    }

    private static ChatStreamAssembler feed(String... chunks) {
        ChatStreamAssembler a = new ChatStreamAssembler();
        for (String c : chunks) {
            a.feed(c.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        }
        return a;
    }

    @Test
    void openAiTextStreamWithUsage() throws Exception {
        ChatStreamAssembler a = feed(
                "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1700000000,'model':'gpt-4o','system_fingerprint':'fp_1','service_tier':'default',"
                        + "'choices':[{'index':0,'delta':{'role':'assistant','content':'','refusal':null},'logprobs':null,'finish_reason':null}],'usage':null}",
                "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1700000000,'model':'gpt-4o','system_fingerprint':'fp_1',"
                        + "'choices':[{'index':0,'delta':{'content':'Hel'},'logprobs':null,'finish_reason':null}],'usage':null}",
                "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1700000000,'model':'gpt-4o','system_fingerprint':'fp_1',"
                        + "'choices':[{'index':0,'delta':{'content':'lo'},'logprobs':null,'finish_reason':null}],'usage':null}",
                "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1700000000,'model':'gpt-4o','system_fingerprint':'fp_1',"
                        + "'choices':[{'index':0,'delta':{},'logprobs':null,'finish_reason':'stop'}],'usage':null}",
                "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1700000000,'model':'gpt-4o','system_fingerprint':'fp_1',"
                        + "'choices':[],'usage':{'prompt_tokens':9,'completion_tokens':2,'total_tokens':11,"
                        + "'prompt_tokens_details':{'cached_tokens':0},'completion_tokens_details':{'reasoning_tokens':0}}}");
        assertThat(a.chunkCount()).isEqualTo(5);
        assertThat(a.result()).isEqualTo(json("{'id':'chatcmpl-1','object':'chat.completion','created':1700000000,'model':'gpt-4o',"
                + "'service_tier':'default','system_fingerprint':'fp_1',"
                + "'choices':[{'index':0,'message':{'role':'assistant','content':'Hello'},'logprobs':null,'finish_reason':'stop'}],"
                + "'usage':{'prompt_tokens':9,'completion_tokens':2,'total_tokens':11,"
                + "'prompt_tokens_details':{'cached_tokens':0},'completion_tokens_details':{'reasoning_tokens':0}}}"));
        assertThat(a.usage().get("total_tokens").asInt()).isEqualTo(11);
    }

    @Test
    void vllmTokenIdsReasoningLogprobsAndChoicesOutOfOrder() throws Exception {
        ChatStreamAssembler a = feed(
                "{'id':'c','created':5,'model':'q','prompt_token_ids':[1,2,3],'choices':[{'index':1,'delta':{'role':'assistant','content':''},'finish_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':0,'delta':{'role':'assistant','reasoning_content':'thi'},'token_ids':[10],"
                        + "'logprobs':{'content':[{'token':'thi','logprob':-0.1,'bytes':[116,104,105],'top_logprobs':[]}]},'finish_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':0,'delta':{'reasoning':'nk'},'token_ids':[11],"
                        + "'logprobs':{'content':[{'token':'nk','logprob':-0.2,'bytes':[110,107],'top_logprobs':[]}]},'finish_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':0,'delta':{'content':'A'},'token_ids':[12],"
                        + "'logprobs':{'content':[{'token':'A','logprob':-0.3,'bytes':[65],'top_logprobs':[]}]},'finish_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':1,'delta':{'content':'B'},'token_ids':[20],'finish_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':0,'delta':{},'token_ids':[2],'finish_reason':'stop','stop_reason':null}]}",
                "{'id':'c','created':5,'model':'q','choices':[{'index':1,'delta':{'content':''},'token_ids':[],'finish_reason':'length'}],'usage':{'prompt_tokens':3,'completion_tokens':5,'total_tokens':8}}");
        ObjectNode r = a.result();
        assertThat(r.get("prompt_token_ids")).isEqualTo(json("[1,2,3]"));
        assertThat(r.get("usage").get("total_tokens").asInt()).isEqualTo(8);
        JsonNode c0 = r.get("choices").get(0);
        assertThat(c0.get("index").asInt()).isZero();
        assertThat(c0.get("message")).isEqualTo(json("{'role':'assistant','content':'A','reasoning_content':'think'}"));
        assertThat(c0.get("token_ids")).isEqualTo(json("[10,11,12,2]"));
        assertThat(c0.get("logprobs").get("content")).extracting(e -> e.get("token").asText()).containsExactly("thi", "nk", "A");
        assertThat(c0.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode c1 = r.get("choices").get(1);
        assertThat(c1.get("message")).isEqualTo(json("{'role':'assistant','content':'B'}"));
        assertThat(c1.get("token_ids")).isEqualTo(json("[20]"));
        assertThat(c1.get("logprobs").isNull()).isTrue();
        assertThat(c1.get("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void toolCallsMergeByIndex() throws Exception {
        ChatStreamAssembler a = feed(
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{'role':'assistant','content':null},'finish_reason':null}]}",
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'call_a','type':'function','function':{'name':'get_weather','arguments':''}}]}}]}",
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'function':{'arguments':'{\\'city\\':'}}]}}]}",
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{'tool_calls':[{'index':1,'id':'call_b','type':'function','function':{'name':'get_time','arguments':'{}'}}]}}]}",
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'function':{'arguments':'\\'Paris\\'}'}}]}}]}",
                "{'id':'t','created':1,'model':'m','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}");
        JsonNode message = a.result().get("choices").get(0).get("message");
        assertThat(message).isEqualTo(json("{'role':'assistant','content':null,'tool_calls':["
                + "{'id':'call_a','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},"
                + "{'id':'call_b','type':'function','function':{'name':'get_time','arguments':'{}'}}]}"));
        assertThat(a.result().has("usage")).isFalse();
    }

    @Test
    void emptyContentWithToolCallsBecomesNullButPlainEmptyStaysEmpty() {
        ChatStreamAssembler tools = feed(
                "{'id':'t','choices':[{'index':0,'delta':{'role':'assistant','content':''}}]}",
                "{'id':'t','choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'x','function':{'name':'f','arguments':'{}'}}]},'finish_reason':'tool_calls'}]}");
        assertThat(tools.result().at("/choices/0/message/content").isNull()).isTrue();
        assertThat(tools.result().at("/choices/0/message/tool_calls/0/type").asText()).isEqualTo("function");
        ChatStreamAssembler empty = feed("{'id':'e','choices':[{'index':0,'delta':{'role':'assistant','content':''},'finish_reason':'length'}]}");
        assertThat(empty.result().at("/choices/0/message/content").asText()).isEmpty();
        ChatStreamAssembler none = feed("{'id':'n','choices':[{'index':0,'delta':{'role':'assistant'},'finish_reason':'stop'}]}");
        assertThat(none.result().at("/choices/0/message/content").isNull()).isTrue();
    }

    @Test
    void lastNonNullUsageWinsAndGarbageIsIgnored() {
        ChatStreamAssembler a = feed(
                "{'id':'u','choices':[{'index':0,'delta':{'content':'x'}}],'usage':{'total_tokens':1}}",
                "{'id':'u','choices':[{'index':0,'delta':{'content':'y'}}],'usage':null}",
                "[1,2]",
                "{'id':'u','choices':[],'usage':{'total_tokens':2}}",
                "{'id':'u','choices':null}");
        assertThat(a.result().at("/usage/total_tokens").asInt()).isEqualTo(2);
        assertThat(a.result().at("/choices/0/message/content").asText()).isEqualTo("xy");
    }
}
