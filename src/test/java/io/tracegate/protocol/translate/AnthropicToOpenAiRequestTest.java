package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.AnthropicFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.json.RawStringTree;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiRequestTest {

    private static AnthropicToOpenAiRequest.Result tr(String json) {
        return AnthropicToOpenAiRequest.translate(json(json), "qwen");
    }

    @Test
    void claudeCodeRequestKeepsEveryToolAndMessage() throws Exception {
        JsonNode body;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/claude-code-messages-request.json")) {
            body = AnthropicFrames.MAPPER.readTree(in).get("body");
        }
        var r = AnthropicToOpenAiRequest.translate(body, "Qwen/Qwen3-Coder-30B-A3B-Instruct");
        JsonNode req = r.request();
        assertThat(req.get("model").asText()).isEqualTo("Qwen/Qwen3-Coder-30B-A3B-Instruct");
        JsonNode messages = req.get("messages");
        assertThat(messages).hasSize(1 + body.get("messages").size());
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        List<String> systemTexts = new ArrayList<>();
        body.get("system").forEach(b -> systemTexts.add(b.get("text").asText()));
        assertThat(messages.get(0).get("content").asText()).isEqualTo(String.join("\n\n", systemTexts));
        List<String> userTexts = new ArrayList<>();
        body.get("messages").get(0).get("content").forEach(b -> userTexts.add(b.get("text").asText()));
        assertThat(messages.get(1).get("content").asText()).isEqualTo(String.join("\n\n", userTexts));
        List<String> names = new ArrayList<>();
        body.get("tools").forEach(t -> names.add(t.get("name").asText()));
        assertThat(req.get("tools")).hasSize(12);
        assertThat(req.get("tools")).extracting(t -> t.get("function").get("name").asText()).containsExactlyElementsOf(names);
        for (int i = 0; i < 12; i++) {
            assertThat(req.get("tools").get(i).get("function").get("parameters"))
                    .isEqualTo(body.get("tools").get(i).get("input_schema"));
            assertThat(req.get("tools").get(i).get("type").asText()).isEqualTo("function");
        }
        assertThat(req.get("max_tokens").asInt()).isEqualTo(32000);
        assertThat(req.get("stream").asBoolean()).isTrue();
        assertThat(req.get("stream_options")).isEqualTo(json("{'include_usage':true}"));
        assertThat(req.get("user").asText()).isEqualTo(body.get("metadata").get("user_id").asText());
        assertThat(r.dropped()).containsExactly("cache_control", "tool.defer_loading", "thinking", "context_management");
        assertThat(req.has("thinking")).isFalse();
        assertThat(req.has("context_management")).isFalse();
        assertThat(req.toString()).doesNotContain("cache_control");
    }

    @Test
    void toolHistoryRoundTripsIdsAndPutsToolResultsFirst() {
        var r = tr("{'model':'c','max_tokens':100,'messages':["
                + "{'role':'user','content':'weather in Paris and Rome?'},"
                + "{'role':'assistant','content':[{'type':'thinking','thinking':'two calls','signature':'sig=='},"
                + "{'type':'text','text':'Checking.'},"
                + "{'type':'tool_use','id':'toolu_01A','name':'get_weather','input':{'city':'Paris'}},"
                + "{'type':'tool_use','id':'toolu_01B','name':'get_weather','input':{'city':'Rome'}}]},"
                + "{'role':'user','content':[{'type':'text','text':'here you go'},"
                + "{'type':'tool_result','tool_use_id':'toolu_01A','content':'18C'},"
                + "{'type':'tool_result','tool_use_id':'toolu_01B','is_error':true,"
                + "'content':[{'type':'text','text':'timeout'},{'type':'text','text':'retry later'}]}]}]}");
        JsonNode m = r.request().get("messages");
        assertThat(m).hasSize(5);
        assertThat(m.get(1)).isEqualTo(json("{'role':'assistant','content':'Checking.','reasoning_content':'two calls',"
                + "'tool_calls':[{'id':'toolu_01A','type':'function','function':{'name':'get_weather','arguments':'{\\\"city\\\":\\\"Paris\\\"}'}},"
                + "{'id':'toolu_01B','type':'function','function':{'name':'get_weather','arguments':'{\\\"city\\\":\\\"Rome\\\"}'}}]}"));
        assertThat(m.get(2)).isEqualTo(json("{'role':'tool','tool_call_id':'toolu_01A','content':'18C'}"));
        assertThat(m.get(3)).isEqualTo(json("{'role':'tool','tool_call_id':'toolu_01B','content':'Error: timeout\\n\\nretry later'}"));
        assertThat(m.get(4)).isEqualTo(json("{'role':'user','content':'here you go'}"));
        assertThat(r.dropped()).containsExactly("thinking_block.signature");
    }

    @Test
    void assistantWithOnlyToolCallsHasNullContentAndRedactedThinkingIsDropped() {
        var r = tr("{'messages':[{'role':'assistant','content':[{'type':'redacted_thinking','data':'xx'},"
                + "{'type':'tool_use','id':'t1','name':'f','input':{}}]}]}");
        JsonNode a = r.request().get("messages").get(0);
        assertThat(a.get("content").isNull()).isTrue();
        assertThat(a.get("tool_calls").get(0).get("function").get("arguments").asText()).isEqualTo("{}");
        assertThat(r.dropped()).containsExactly("redacted_thinking");
    }

    @Test
    void imagesBecomeContentParts() {
        var r = tr("{'messages':[{'role':'user','content':[{'type':'text','text':'what is this?'},"
                + "{'type':'image','source':{'type':'base64','media_type':'image/jpeg','data':'AAAA'}},"
                + "{'type':'image','source':{'type':'url','url':'https://x/y.png'}}]}]}");
        assertThat(r.request().get("messages").get(0)).isEqualTo(json("{'role':'user','content':["
                + "{'type':'text','text':'what is this?'},"
                + "{'type':'image_url','image_url':{'url':'data:image/jpeg;base64,AAAA'}},"
                + "{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}"));
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void systemStringAndParameters() {
        var r = tr("{'model':'claude','system':'be brief','max_tokens':64,'temperature':0.2,'top_p':0.9,'top_k':40,"
                + "'stop_sequences':['END'],'stream':false,'metadata':{'user_id':'u1'},"
                + "'messages':[{'role':'user','content':'hi'}]}");
        assertThat(r.request()).isEqualTo(json("{'model':'qwen','messages':[{'role':'system','content':'be brief'},"
                + "{'role':'user','content':'hi'}],'max_tokens':64,'temperature':0.2,'top_p':0.9,'top_k':40,"
                + "'stop':['END'],'user':'u1'}"));
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void toolsAndToolChoice() {
        String tools = "'tools':[{'name':'f','description':'d','input_schema':{'type':'object','properties':{'a':{'type':'string'}}},"
                + "'cache_control':{'type':'ephemeral'}},{'type':'web_search_20250305','name':'web_search'},"
                + "{'type':'bash_20250124','name':'bash'},{'type':'custom','name':'g','input_schema':{'type':'object'}}],";
        var auto = tr("{" + tools + "'tool_choice':{'type':'auto','disable_parallel_tool_use':true},'messages':[]}");
        assertThat(auto.request().get("tools")).isEqualTo(json("[{'type':'function','function':{'name':'f','description':'d',"
                + "'parameters':{'type':'object','properties':{'a':{'type':'string'}}}}},"
                + "{'type':'function','function':{'name':'g','parameters':{'type':'object'}}}]"));
        assertThat(auto.request().get("tool_choice").asText()).isEqualTo("auto");
        assertThat(auto.request().get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(auto.dropped()).containsExactly("cache_control", "tool:web_search_20250305", "tool:bash_20250124");
        assertThat(tr("{" + tools + "'tool_choice':{'type':'any'},'messages':[]}").request().get("tool_choice").asText())
                .isEqualTo("required");
        assertThat(tr("{" + tools + "'tool_choice':{'type':'none'},'messages':[]}").request().get("tool_choice").asText())
                .isEqualTo("none");
        assertThat(tr("{" + tools + "'tool_choice':{'type':'tool','name':'g'},'messages':[]}").request().get("tool_choice"))
                .isEqualTo(json("{'type':'function','function':{'name':'g'}}"));
        var serverOnly = tr("{'tools':[{'type':'web_search_20250305','name':'web_search'}],'tool_choice':{'type':'any'},'messages':[]}");
        assertThat(serverOnly.request().has("tools")).isFalse();
        assertThat(serverOnly.request().has("tool_choice")).isFalse();
        assertThat(serverOnly.dropped()).containsExactly("tool:web_search_20250305", "tool_choice");
    }

    /** Claude Code sends a role: system entry inside messages (a string, or text blocks with cache_control). */
    private static final String INLINE_SYSTEM = "{'system':'S','messages':[{'role':'user','content':'u1'},"
            + "{'role':'system','content':'reminder'},{'role':'assistant','content':'a1'},"
            + "{'role':'system','content':[{'type':'text','text':'r2','cache_control':{'type':'ephemeral'}},"
            + "{'type':'text','text':'r3'}]},{'role':'user','content':'u2'}]}";

    private static List<String> roleAndText(AnthropicToOpenAiRequest.Result r) {
        List<String> out = new ArrayList<>();
        r.request().get("messages").forEach(m -> out.add(m.get("role").asText() + ":" + m.get("content").asText()));
        return out;
    }

    private static AnthropicToOpenAiRequest.Result placed(String json, SystemPlacement placement) {
        return AnthropicToOpenAiRequest.translate(json(json), "qwen", null, null, placement);
    }

    @Test
    void systemEntriesInsideMessagesStayWhereTheyStandByDefault() {
        var r = tr(INLINE_SYSTEM);
        assertThat(roleAndText(r)).containsExactly("system:S", "user:u1", "system:reminder", "assistant:a1",
                "system:r2\n\nr3", "user:u2");
        assertThat(r.dropped()).containsExactly("cache_control");
    }

    @Test
    void systemEntriesCanBeMergedIntoTheLeadingSystemMessageOrSentAsUserMessages() {
        assertThat(roleAndText(placed(INLINE_SYSTEM, SystemPlacement.MERGE_FIRST))).containsExactly(
                "system:S\n\nreminder\n\nr2\n\nr3", "user:u1", "assistant:a1", "user:u2");
        assertThat(roleAndText(placed(INLINE_SYSTEM, SystemPlacement.AS_USER))).containsExactly("system:S",
                "user:u1", "user:reminder", "assistant:a1", "user:r2\n\nr3", "user:u2");
        // no top-level system: merge_first makes the leading one
        assertThat(roleAndText(placed("{'messages':[{'role':'user','content':'u'},{'role':'system','content':'x'},"
                + "{'role':'system','content':''}]}", SystemPlacement.MERGE_FIRST)))
                .containsExactly("system:x", "user:u");
        // the remembered system translation is never changed in place
        TranslatedSystem known = MessagesToChat.system(json("'S'"));
        String before = known.message().toString();
        var fresh = placed(INLINE_SYSTEM, SystemPlacement.MERGE_FIRST);
        assertThat(fresh.system().message().toString()).isEqualTo(before);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnthropicToOpenAiRequest.translate(
                json(INLINE_SYSTEM), "qwen", known, null, SystemPlacement.MERGE_FIRST))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textDocumentsKeepTitleAndContext() {
        var r = tr("{'messages':[{'role':'user','content':[{'type':'document','title':'T','context':'C',"
                + "'citations':{'enabled':true},'source':{'type':'text','media_type':'text/plain','data':'body'}}]}]}");
        assertThat(r.request().get("messages").get(0).get("content").asText()).isEqualTo("T\n\nC\n\nbody");
        assertThat(r.dropped()).containsExactly("citations");
    }

    @Test
    void inexpressibleFieldsAreListedOnceEach() {
        var r = tr("{'model':'c','messages':[{'role':'user','content':[{'type':'text','text':'a','cache_control':{'type':'ephemeral'}},"
                + "{'type':'text','text':'b','cache_control':{'type':'ephemeral'}},"
                + "{'type':'document','source':{'type':'text','media_type':'text/plain','data':'doc body'},'title':'T'},"
                + "{'type':'document','source':{'type':'base64','media_type':'application/pdf','data':'JVBE'}},"
                + "{'type':'search_result','source':'s','title':'t','content':[]}]}],"
                + "'thinking':{'type':'enabled','budget_tokens':1024},'context_management':{},'container':'c1',"
                + "'mcp_servers':[],'service_tier':'auto','some_future_field':1}");
        assertThat(r.request().get("messages").get(0).get("content").asText()).isEqualTo("a\n\nb\n\nT\n\ndoc body");
        assertThat(r.dropped()).containsExactly("cache_control", "document:base64", "search_result", "thinking",
                "context_management", "container", "mcp_servers", "service_tier", "some_future_field");
    }

    @Test
    void neverThrowsOnOddShapes() {
        for (String odd : List.of("[]", "{}", "{'messages':'x'}", "{'messages':[1,{'role':'system','content':'s'},"
                + "{'role':'user','content':[1,{'type':'image','source':{}},{'type':'tool_result'}]},"
                + "{'role':'assistant','content':[{'type':'tool_use'},{}]}],'tools':[1,{'input_schema':{}}],"
                + "'tool_choice':'weird','system':5,'metadata':[]}")) {
            var r = AnthropicToOpenAiRequest.translate(json(odd), null);
            assertThat(r.request().get("messages").isArray()).as(odd).isTrue();
        }
        assertThat(AnthropicToOpenAiRequest.translate(null, "m").dropped()).containsExactly("request:invalid");
    }

    /**
     * The lane writes the translation of a {@link RawStringTree} with the long strings' source bytes (joined
     * ones included): the body it sends must be the same JSON as the plain tree translated and serialised.
     */
    @Test
    void writingWithSourceBytesSendsTheSameJsonAsThePlainTranslation() throws Exception {
        String big = "line one\\n\\\"quoted\\\" caf\\u00e9 \\ud83d\\ude00 \u00e9 ".repeat(12);
        String body = ("{'model':'m','max_tokens':5,"
                + "'system':[{'type':'text','text':'" + big + "'},{'type':'text','text':'short'},"
                + "{'type':'text','text':'" + big + "','cache_control':{'type':'ephemeral'}}],"
                + "'messages':[{'role':'user','content':[{'type':'text','text':'" + big + "'},"
                + "{'type':'document','title':'T','source':{'type':'content','content':["
                + "{'type':'text','text':'" + big + "'},{'type':'text','text':'x'}]}},"
                + "{'type':'document','source':{'type':'text','data':'" + big + "'}}]},"
                + "{'role':'assistant','content':[{'type':'thinking','thinking':'" + big + "','signature':''},"
                + "{'type':'thinking','thinking':'t2'},{'type':'text','text':'" + big + "'},{'type':'text','text':'b'},"
                + "{'type':'tool_use','id':'tu1','name':'Read','input':{'p':'" + big + "'}}]},"
                + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'tu1','is_error':true,"
                + "'content':[{'type':'text','text':'" + big + "'},{'type':'text','text':'y'}]},"
                + "{'type':'tool_result','tool_use_id':'tu1','content':'" + big + "'},"
                + "{'type':'tool_result','tool_use_id':'tu1','is_error':true,'content':'" + big + "'}]},"
                + "{'role':'user','content':'" + big + "'},{'role':'assistant','content':'" + big + "'}]}")
                .replace('\'', '"');
        List<byte[]> bodies = List.of(body.getBytes(StandardCharsets.UTF_8), claudeCodeBody());
        for (byte[] bytes : bodies) {
            JsonNode plain = AnthropicToOpenAiRequest.translate(AnthropicFrames.MAPPER.readTree(bytes), "qwen")
                    .request();
            RawStringTree doc = RawStringTree.read(bytes);
            byte[] written = doc.write(AnthropicToOpenAiRequest.translate(doc.tree(), "qwen").request());
            assertThat(AnthropicFrames.MAPPER.readTree(written)).isEqualTo(plain);
        }
        // the joined system prompt went out as its source bytes: the client's escapes are still there
        RawStringTree doc = RawStringTree.read(bodies.get(0));
        String sent = new String(doc.write(AnthropicToOpenAiRequest.translate(doc.tree(), "qwen").request()),
                StandardCharsets.UTF_8);
        assertThat(sent).contains("caf\\u00e9 \\ud83d\\ude00");
    }

    private byte[] claudeCodeBody() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/claude-code-messages-request.json")) {
            return AnthropicFrames.MAPPER.writeValueAsBytes(AnthropicFrames.MAPPER.readTree(in).get("body"));
        }
    }
}
