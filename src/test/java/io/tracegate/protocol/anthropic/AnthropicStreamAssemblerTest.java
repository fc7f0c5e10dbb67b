package io.tracegate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AnthropicStreamAssemblerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static AnthropicStreamAssembler feed(String... events) {
        AnthropicStreamAssembler a = new AnthropicStreamAssembler();
        for (String e : events) {
            a.feed(json(e));
        }
        return a;
    }

    @Test
    void anthropicStreamWithThinkingTextToolsAndUsage() {
        AnthropicStreamAssembler a = feed(
                "{'type':'message_start','message':{'id':'msg_01','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
                        + "'content':[],'stop_reason':null,'stop_sequence':null,'usage':{'input_tokens':12,'cache_creation_input_tokens':100,"
                        + "'cache_read_input_tokens':2000,'output_tokens':1,'service_tier':'standard'}}}",
                "{'type':'ping'}",
                "{'type':'content_block_start','index':0,'content_block':{'type':'thinking','thinking':'','signature':''}}",
                "{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'Let me '}}",
                "{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'think.'}}",
                "{'type':'content_block_delta','index':0,'delta':{'type':'signature_delta','signature':'EqQBCgIYAhIM'}}",
                "{'type':'content_block_stop','index':0}",
                "{'type':'content_block_start','index':1,'content_block':{'type':'redacted_thinking','data':'opaque'}}",
                "{'type':'content_block_stop','index':1}",
                "{'type':'content_block_start','index':2,'content_block':{'type':'text','text':''}}",
                "{'type':'content_block_delta','index':2,'delta':{'type':'text_delta','text':'Reading '}}",
                "{'type':'content_block_delta','index':2,'delta':{'type':'text_delta','text':'the file.'}}",
                "{'type':'content_block_stop','index':2}",
                "{'type':'content_block_start','index':3,'content_block':{'type':'tool_use','id':'toolu_01','name':'Read','input':{}}}",
                "{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':''}}",
                "{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':'{\\\"file_path\\\": \\\"/a'}}",
                "{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':'.txt\\\"}'}}",
                "{'type':'content_block_stop','index':3}",
                "{'type':'content_block_start','index':4,'content_block':{'type':'tool_use','id':'toolu_02','name':'ListAgents','input':{}}}",
                "{'type':'content_block_delta','index':4,'delta':{'type':'input_json_delta','partial_json':''}}",
                "{'type':'content_block_stop','index':4}",
                "{'type':'message_delta','delta':{'stop_reason':'tool_use','stop_sequence':null},"
                        + "'usage':{'output_tokens':95,'input_tokens':12,'cache_read_input_tokens':2000}}",
                "{'type':'message_stop'}");
        assertThat(a.isComplete()).isTrue();
        assertThat(a.result()).isEqualTo(json("{'id':'msg_01','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
                + "'content':[{'type':'thinking','thinking':'Let me think.','signature':'EqQBCgIYAhIM'},"
                + "{'type':'redacted_thinking','data':'opaque'},{'type':'text','text':'Reading the file.'},"
                + "{'type':'tool_use','id':'toolu_01','name':'Read','input':{'file_path':'/a.txt'}},"
                + "{'type':'tool_use','id':'toolu_02','name':'ListAgents','input':{}}],"
                + "'stop_reason':'tool_use','stop_sequence':null,"
                + "'usage':{'input_tokens':12,'cache_creation_input_tokens':100,'cache_read_input_tokens':2000,'output_tokens':95,"
                + "'service_tier':'standard'}}"));
    }

    @Test
    void serverToolBlocksAndCitationsAreKept() {
        AnthropicStreamAssembler a = feed(
                "{'type':'message_start','message':{'id':'m','role':'assistant','model':'c','usage':{'input_tokens':1,'output_tokens':1}}}",
                "{'type':'content_block_start','index':0,'content_block':{'type':'server_tool_use','id':'srvtoolu_1','name':'web_search','input':{}}}",
                "{'type':'content_block_delta','index':0,'delta':{'type':'input_json_delta','partial_json':'{\\\"query\\\":\\\"x\\\"}'}}",
                "{'type':'content_block_stop','index':0}",
                "{'type':'content_block_start','index':1,'content_block':{'type':'web_search_tool_result','tool_use_id':'srvtoolu_1','content':[{'type':'web_search_result','url':'u'}]}}",
                "{'type':'content_block_stop','index':1}",
                "{'type':'content_block_start','index':2,'content_block':{'type':'text','text':'','citations':[]}}",
                "{'type':'content_block_delta','index':2,'delta':{'type':'citations_delta','citation':{'type':'web_search_result_location','url':'u'}}}",
                "{'type':'content_block_delta','index':2,'delta':{'type':'text_delta','text':'X is y.'}}",
                "{'type':'content_block_stop','index':2}",
                "{'type':'message_delta','delta':{'stop_reason':'end_turn','stop_sequence':null},'usage':{'output_tokens':30,'server_tool_use':{'web_search_requests':1}}}",
                "{'type':'message_stop'}");
        JsonNode r = a.result();
        assertThat(r.get("content").get(0).get("input")).isEqualTo(json("{'query':'x'}"));
        assertThat(r.get("content").get(1).get("type").asText()).isEqualTo("web_search_tool_result");
        assertThat(r.get("content").get(2)).isEqualTo(json(
                "{'type':'text','text':'X is y.','citations':[{'type':'web_search_result_location','url':'u'}]}"));
        assertThat(r.get("usage")).isEqualTo(json("{'input_tokens':1,'output_tokens':30,'server_tool_use':{'web_search_requests':1}}"));
        assertThat(r.get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void errorsAndGarbageNeverThrow() {
        AnthropicStreamAssembler a = feed(
                "{'type':'message_start','message':{'id':'m','model':'c','usage':{'input_tokens':5,'output_tokens':0}}}",
                "{'type':'content_block_delta','index':7,'delta':{'type':'text_delta','text':'orphan'}}",
                "{'type':'content_block_start','index':0,'content_block':{'type':'tool_use','id':'t','name':'f','input':{}}}",
                "{'type':'content_block_delta','index':0,'delta':{'type':'input_json_delta','partial_json':'{\\\"a\\\":\\\"tru'}}",
                "{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}");
        a.feed(null);
        a.feed(json("[1,2]"));
        assertThat(a.isComplete()).isFalse();
        assertThat(a.error().get("type").asText()).isEqualTo("overloaded_error");
        JsonNode r = a.result();
        assertThat(r.get("content").get(0).get("input")).isEqualTo(json("{'a':'tru'}"));
        assertThat(r.get("stop_reason").isNull()).isTrue();
        assertThat(r.get("usage").get("input_tokens").asInt()).isEqualTo(5);
        assertThat(a.eventCount()).isEqualTo(5);
    }
}
