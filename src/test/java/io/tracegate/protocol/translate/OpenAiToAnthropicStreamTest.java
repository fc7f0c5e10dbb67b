package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.AnthropicFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicStreamTest {

    private static List<JsonNode> chunks(String... c) {
        return Arrays.stream(c).map(AnthropicFrames::json).toList();
    }

    private static String call(int index, String id, String name, String args) {
        String head = id == null ? "" : "'id':'" + id + "','type':'function',";
        String fn = name == null ? "" : "'name':'" + name + "',";
        return "{'id':'c1','choices':[{'index':0,'delta':{'tool_calls':[{'index':" + index + "," + head
                + "'function':{" + fn + "'arguments':'" + args + "'}}]},'finish_reason':null}]}";
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> {
            String t = e.path("type").asText();
            String d = e.path("delta").path("type").asText("");
            String b = e.path("content_block").path("type").asText("");
            return t + (d.isEmpty() || !t.equals("content_block_delta") ? "" : ":" + d) + (b.isEmpty() ? "" : ":" + b);
        }).toList();
    }

    @Test
    void interleavedParallelToolFragmentsAreNeverMixed() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                call(0, "call_a", "get_weather", "{\\\"city\\\":"),
                call(1, "call_b", "get_time", "{\\\"tz\\\":"),
                call(0, null, null, "\\\"Paris\\\"}"),
                call(1, null, null, "\\\"CET\\\"}"),
                "{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"), "m");
        assertThat(types(events)).containsExactly("message_start",
                "content_block_start:tool_use", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta",
                "content_block_stop",
                "content_block_start:tool_use", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta",
                "content_block_stop", "message_delta", "message_stop");
        JsonNode m = AnthropicFrames.assemble(events);
        assertThat(m.get("content")).isEqualTo(json("[{'type':'tool_use','id':'call_a','name':'get_weather','input':{'city':'Paris'}},"
                + "{'type':'tool_use','id':'call_b','name':'get_time','input':{'tz':'CET'}}]"));
        assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void sequentialParallelCallsStreamLive() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        s.onChunk(json(call(0, "call_a", "f", "{\\\"x\\\":1}")));
        List<JsonNode> second = AnthropicFrames.parse(s.onChunk(json(call(1, "call_b", "g", "{\\\"y\\\":"))));
        // the first call is complete, so the second starts at once and its first fragment goes out now
        assertThat(types(second)).containsExactly("content_block_stop", "content_block_start:tool_use",
                "content_block_delta:input_json_delta");
        assertThat(second.get(2).path("delta").path("partial_json").asText()).isEqualTo("{\"y\":");
    }

    @Test
    void textThenToolsThenTextKeepsArrivalOrder() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                "{'id':'c1','choices':[{'index':0,'delta':{'role':'assistant','content':'Let me check.'}}]}",
                call(0, "call_a", "Read", "{\\\"p\\\":1}"),
                "{'id':'c1','choices':[{'index':0,'delta':{'content':'Done.'}}]}",
                "{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}"), "m");
        JsonNode m = AnthropicFrames.assemble(events);
        assertThat(m.get("content")).extracting(b -> b.get("type").asText()).containsExactly("text", "tool_use", "text");
        assertThat(m.get("content").get(2).get("text").asText()).isEqualTo("Done.");
    }

    @Test
    void textArrivingWhileAToolIsIncompleteWaitsForIt() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                call(0, "call_a", "Read", "{\\\"p\\\":"),
                "{'id':'c1','choices':[{'index':0,'delta':{'content':'hm'}}]}",
                call(0, null, null, "2}"),
                "{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"), "m");
        JsonNode m = AnthropicFrames.assemble(events);
        assertThat(m.get("content")).isEqualTo(json("[{'type':'tool_use','id':'call_a','name':'Read','input':{'p':2}},"
                + "{'type':'text','text':'hm'}]"));
    }

    @Test
    void emptyTokenOnlyAndUsageOnlyChunksEmitNothingButStart() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("claude-x");
        List<JsonNode> first = AnthropicFrames.parse(s.onChunk(json(
                "{'id':'chatcmpl-9','prompt_token_ids':[1,2],'choices':[{'index':0,'delta':{'role':'assistant','content':''},'token_ids':[]}]}")));
        assertThat(types(first)).containsExactly("message_start");
        assertThat(first.get(0).path("message").path("model").asText()).isEqualTo("claude-x");
        assertThat(first.get(0).path("message").path("usage")).isEqualTo(json(
                "{'input_tokens':0,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':0}"));
        assertThat(s.onChunk(json("{'id':'chatcmpl-9','choices':[{'index':0,'delta':{},'token_ids':[5],'logprobs':{'content':[]}}]}"))).isEmpty();
        assertThat(s.onChunk(json("{'id':'chatcmpl-9','choices':[{'index':0,'delta':{'content':null,'tool_calls':[]}}]}"))).isEmpty();
        assertThat(s.onChunk(json("{'id':'chatcmpl-9','choices':[{'index':0,'delta':{},'finish_reason':'length'}]}"))).isEmpty();
        assertThat(s.onChunk(json("{'id':'chatcmpl-9','choices':[],'usage':{'prompt_tokens':10,'completion_tokens':0,"
                + "'prompt_tokens_details':{'cached_tokens':4}}}"))).isEmpty();
        assertThat(s.onChunk(json("[1]"))).isEmpty();
        List<JsonNode> end = AnthropicFrames.parse(s.finish());
        assertThat(types(end)).containsExactly("message_delta", "message_stop");
        assertThat(end.get(0)).isEqualTo(json("{'type':'message_delta','delta':{'stop_reason':'max_tokens','stop_sequence':null},"
                + "'usage':{'input_tokens':6,'cache_creation_input_tokens':0,'cache_read_input_tokens':4,'output_tokens':0}}"));
    }

    @Test
    void finishIsIdempotentAndNothingFollowsMessageStop() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        s.onChunk(json("{'id':'x','choices':[{'index':0,'delta':{'content':'a'}}]}"));
        assertThat(s.finish()).isNotEmpty();
        assertThat(s.isEnded()).isTrue();
        assertThat(s.finish()).isEmpty();
        assertThat(s.onChunk(json("{'id':'x','choices':[{'index':0,'delta':{'content':'b'}}]}"))).isEmpty();
        assertThat(s.error("api_error", "late")).isEmpty();
    }

    @Test
    void withoutUsageTheDeltaCarriesOnlyOutputTokens() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                "{'id':'x','choices':[{'index':0,'delta':{'content':'a'},'finish_reason':'stop'}]}"), "m");
        assertThat(events.get(events.size() - 2).get("usage")).isEqualTo(json("{'output_tokens':0}"));
    }

    @Test
    void emptyStreamStillProducesALegalMessage() {
        List<JsonNode> events = AnthropicFrames.translate(List.of(), "m");
        assertThat(types(events)).containsExactly("message_start", "message_delta", "message_stop");
        assertThat(AnthropicFrames.assemble(events).get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void thinkingBlockEndsWithAnEmptySignatureDelta() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                "{'id':'x','choices':[{'index':0,'delta':{'reasoning':'hmm'}}]}",
                "{'id':'x','choices':[{'index':0,'delta':{'reasoning_content':' ok'}}]}",
                "{'id':'x','choices':[{'index':0,'delta':{'content':'Yes'},'finish_reason':'stop'}]}"), "m");
        assertThat(types(events)).containsExactly("message_start", "content_block_start:thinking",
                "content_block_delta:thinking_delta", "content_block_delta:thinking_delta",
                "content_block_delta:signature_delta", "content_block_stop",
                "content_block_start:text", "content_block_delta:text_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(AnthropicFrames.assemble(events).get("content").get(0))
                .isEqualTo(json("{'type':'thinking','thinking':'hmm ok','signature':''}"));
    }

    @Test
    void midStreamErrorEndsTheStream() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        List<byte[]> frames = new ArrayList<>(s.onChunk(json("{'id':'x','choices':[{'index':0,'delta':{'content':'a'}}]}")));
        frames.addAll(s.error("overloaded_error", "upstream went away"));
        List<JsonNode> events = AnthropicFrames.parse(frames);
        assertThat(events.get(events.size() - 1)).isEqualTo(json(
                "{'type':'error','error':{'type':'overloaded_error','message':'upstream went away'}}"));
        assertThat(s.finish()).isEmpty();
    }

    @Test
    void vllmErrorChunkBecomesAnErrorEvent() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        List<JsonNode> events = AnthropicFrames.parse(s.onChunk(json(
                "{'error':{'object':'error','message':'boom','type':'BadRequestError','code':400}}")));
        assertThat(types(events)).containsExactly("message_start", "error");
        assertThat(events.get(1).path("error").path("message").asText()).isEqualTo("boom");
        assertThat(s.isEnded()).isTrue();
    }

    @Test
    void truncatedArgumentsAreClosedByAnAppendedSuffixAndReported() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        List<byte[]> frames = new ArrayList<>(s.onChunk(json(call(0, "call_a", "Write", "{\\\"content\\\":\\\"abc"))));
        frames.addAll(s.onChunk(json("{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'length'}]}")));
        frames.addAll(s.finish());
        List<JsonNode> events = AnthropicFrames.parse(frames);
        AnthropicFrames.assertLegalOrder(events);
        StringBuilder partial = new StringBuilder();
        events.stream().filter(e -> e.path("delta").path("type").asText().equals("input_json_delta"))
                .forEach(e -> partial.append(e.path("delta").path("partial_json").asText()));
        assertThat(partial.toString()).isEqualTo("{\"content\":\"abc\"}"); // valid JSON for any SDK
        assertThat(s.warnings()).containsExactly("tool_arguments_repaired:call_a");
        assertThat(AnthropicFrames.assemble(events).get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void nonObjectArgumentsArriveAsRawArguments() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        List<byte[]> frames = new ArrayList<>(s.onChunk(json(call(0, "call_a", "Bash", "ls -la"))));
        frames.addAll(s.finish());
        JsonNode m = AnthropicFrames.assemble(AnthropicFrames.parse(frames));
        assertThat(m.get("content").get(0).get("input")).isEqualTo(json("{'_raw_arguments':'ls -la'}"));
        assertThat(s.warnings()).containsExactly("tool_arguments_raw:call_a");
    }

    @Test
    void finishReasonBeforeUsageChunkIsKeptUntilFinish() {
        OpenAiToAnthropicStream s = new OpenAiToAnthropicStream("m");
        s.onChunk(json(call(0, "call_a", "f", "{}")));
        s.onChunk(json("{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"));
        s.onChunk(json("{'id':'c1','choices':[],'usage':{'prompt_tokens':50,'completion_tokens':7}}"));
        List<JsonNode> end = AnthropicFrames.parse(s.finish());
        JsonNode delta = end.get(end.size() - 2);
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(delta.get("usage")).isEqualTo(json(
                "{'input_tokens':50,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':7}"));
    }

    @Test
    void missingToolIdGetsAStableOneAndNameMayArriveLate() {
        List<JsonNode> events = AnthropicFrames.translate(chunks(
                call(0, null, null, "{\\\"a\\\":"),
                call(0, null, "late_name", "1}"),
                "{'id':'c1','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"), "m");
        assertThat(AnthropicFrames.assemble(events).get("content")).isEqualTo(json(
                "[{'type':'tool_use','id':'toolu_0','name':'late_name','input':{'a':1}}]"));
    }
}
