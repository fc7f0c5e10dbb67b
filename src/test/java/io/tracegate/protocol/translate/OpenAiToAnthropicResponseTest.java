package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.AnthropicFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicResponseTest {

    private static JsonNode resp(String message, String finish, String extraChoice, String usage) {
        return json("{'id':'chatcmpl-7','object':'chat.completion','model':'qwen','choices':[{'index':0,'message':" + message
                + ",'finish_reason':" + finish + extraChoice + "}]" + (usage == null ? "" : ",'usage':" + usage) + "}");
    }

    @Test
    void fullMessageShape() {
        JsonNode out = OpenAiToAnthropicResponse.translate(resp(
                "{'role':'assistant','content':'Sure.','reasoning_content':'think',"
                        + "'tool_calls':[{'id':'call_9','type':'function','function':{'name':'Read','arguments':'{\\\"p\\\":1}'}}]}",
                "'tool_calls'", "", "{'prompt_tokens':100,'completion_tokens':20,'prompt_tokens_details':{'cached_tokens':60}}"),
                "claude-sonnet-4-5");
        assertThat(out).isEqualTo(json("{'id':'msg_chatcmpl-7','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
                + "'content':[{'type':'thinking','thinking':'think','signature':''},{'type':'text','text':'Sure.'},"
                + "{'type':'tool_use','id':'call_9','name':'Read','input':{'p':1}}],'stop_reason':'tool_use','stop_sequence':null,"
                + "'usage':{'input_tokens':40,'cache_creation_input_tokens':0,'cache_read_input_tokens':60,'output_tokens':20}}"));
    }

    @Test
    void stopReasonTable() {
        assertThat(stop("'stop'", "")).isEqualTo("end_turn");
        assertThat(stop("null", "")).isEqualTo("end_turn");
        assertThat(stop("'length'", "")).isEqualTo("max_tokens");
        assertThat(stop("'tool_calls'", "")).isEqualTo("tool_use");
        assertThat(stop("'function_call'", "")).isEqualTo("tool_use");
        assertThat(stop("'content_filter'", "")).isEqualTo("refusal");
        assertThat(stop("'stop'", ",'stop_reason':151645")).isEqualTo("end_turn"); // vLLM: stop token id
        JsonNode seq = OpenAiToAnthropicResponse.translate(resp("{'content':'a'}", "'stop'", ",'stop_reason':'###'", null), "m");
        assertThat(seq.get("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(seq.get("stop_sequence").asText()).isEqualTo("###");
        var odd = OpenAiToAnthropicResponse.translateWithWarnings(resp("{'content':'a'}", "'abort'", "", null), "m");
        assertThat(odd.message().get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(odd.warnings()).containsExactly("finish_reason:abort");
    }

    private static String stop(String finish, String extra) {
        return OpenAiToAnthropicResponse.translate(resp("{'content':'a'}", finish, extra, null), "m").get("stop_reason").asText();
    }

    @Test
    void usageWithoutCacheDetailsAndWithoutUsage() {
        JsonNode u = OpenAiToAnthropicResponse.translate(resp("{'content':'a'}", "'stop'", "",
                "{'prompt_tokens':9,'completion_tokens':2}"), "m").get("usage");
        assertThat(u).isEqualTo(json("{'input_tokens':9,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':2}"));
        JsonNode none = OpenAiToAnthropicResponse.translate(resp("{'content':'a'}", "'stop'", "", null), "m").get("usage");
        assertThat(none.get("input_tokens").asInt()).isZero();
    }

    @Test
    void emptyTextIsOmittedAndIdsArePrefixedOnce() {
        JsonNode out = OpenAiToAnthropicResponse.translate(json("{'id':'msg_abc','choices':[{'message':{'content':''},'finish_reason':'stop'}]}"), "m");
        assertThat(out.get("content")).isEmpty();
        assertThat(out.get("id").asText()).isEqualTo("msg_abc");
        assertThat(OpenAiToAnthropicResponse.translate(json("{}"), "m").get("id").asText()).startsWith("msg_");
    }

    @Test
    void invalidArgumentsNeverCrashAndAreReported() {
        var r = OpenAiToAnthropicResponse.translateWithWarnings(resp("{'content':null,'tool_calls':["
                + "{'id':'a','function':{'name':'f','arguments':'{\\\"x\\\": [1, 2'}},"
                + "{'id':'b','function':{'name':'g','arguments':'not json'}},"
                + "{'id':'c','function':{'name':'h','arguments':'\\\"{\\\\\\\"k\\\\\\\":1}\\\"'}},"
                + "{'id':'d','function':{'name':'i','arguments':''}}]}", "'tool_calls'", "", null), "m");
        JsonNode c = r.message().get("content");
        assertThat(c.get(0).get("input")).isEqualTo(json("{'x':[1,2]}"));
        assertThat(c.get(1).get("input")).isEqualTo(json("{'_raw_arguments':'not json'}"));
        assertThat(c.get(2).get("input")).isEqualTo(json("{'k':1}"));
        assertThat(c.get(3).get("input")).isEqualTo(json("{}"));
        assertThat(r.warnings()).containsExactly("tool_arguments_repaired:a", "tool_arguments_raw:b", "tool_arguments_repaired:c");
    }

    @Test
    void refusalIsShownAsTextWithRefusalStop() {
        JsonNode out = OpenAiToAnthropicResponse.translate(resp("{'content':null,'refusal':'I cannot help with that.'}",
                "'stop'", "", null), "m");
        assertThat(out.get("content")).isEqualTo(json("[{'type':'text','text':'I cannot help with that.'}]"));
        assertThat(out.get("stop_reason").asText()).isEqualTo("refusal");
    }
}
