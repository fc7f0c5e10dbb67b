package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicRequestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static OpenAiToAnthropicRequest.Result tr(String request) {
        return OpenAiToAnthropicRequest.translate(json(request), "claude-sonnet-4-5");
    }

    @Test
    void minimalRequestGetsModelDefaultMaxTokensAndBlocks() {
        var r = tr("{'model':'gpt-4o','messages':[{'role':'user','content':'Hi'}]}");
        assertThat(r.request()).isEqualTo(json("{'model':'claude-sonnet-4-5','max_tokens':4096,"
                + "'messages':[{'role':'user','content':[{'type':'text','text':'Hi'}]}]}"));
        assertThat(r.dropped()).isEmpty();
        assertThat(r.request().fieldNames()).toIterable().first().isEqualTo("model");
    }

    @Test
    void systemAndDeveloperMessagesAreJoinedInOrder() {
        var r = tr("{'messages':[{'role':'system','content':'A'},{'role':'developer','content':[{'type':'text','text':'B'},{'type':'text','text':'C'}]},"
                + "{'role':'user','content':'q'},{'role':'system','content':'D'}]}");
        assertThat(r.request().get("system").asText()).isEqualTo("A\n\nBC\n\nD");
        assertThat(r.request().get("messages")).hasSize(1);
    }

    @Test
    void userPartsTextDataImageUrlImageAndPdf() {
        var r = tr("{'messages':[{'role':'user','content':["
                + "{'type':'text','text':'look','cache_control':{'type':'ephemeral'}},"
                + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0=','detail':'high'}},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/cat.jpg'}},"
                + "{'type':'file','file':{'filename':'a.pdf','file_data':'data:application/pdf;base64,JVBERi0='}},"
                + "{'type':'input_audio','input_audio':{'data':'x','format':'wav'}},"
                + "{'type':'text','text':'   '}]}]}");
        assertThat(r.request().at("/messages/0/content")).isEqualTo(json("["
                + "{'type':'text','text':'look','cache_control':{'type':'ephemeral'}},"
                + "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0='}},"
                + "{'type':'image','source':{'type':'url','url':'https://example.com/cat.jpg'}},"
                + "{'type':'document','source':{'type':'base64','media_type':'application/pdf','data':'JVBERi0='}}]"));
        assertThat(r.dropped()).containsExactly("messages[0].content[4] (unsupported content part type input_audio)");
    }

    @Test
    void assistantToolCallsAndParallelToolResultsMergeIntoOneUserMessage() {
        var r = tr("{'messages':[{'role':'user','content':'weather in Paris and Oslo?'},"
                + "{'role':'assistant','content':'Checking.','tool_calls':["
                + "{'id':'call_1','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},"
                + "{'id':'call_2','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Oslo\\'}'}}]},"
                + "{'role':'tool','tool_call_id':'call_1','content':'sunny'},"
                + "{'role':'tool','tool_call_id':'call_2','content':[{'type':'text','text':'rain'}]},"
                + "{'role':'user','content':'thanks'}]}");
        assertThat(r.request().get("messages")).isEqualTo(json("["
                + "{'role':'user','content':[{'type':'text','text':'weather in Paris and Oslo?'}]},"
                + "{'role':'assistant','content':[{'type':'text','text':'Checking.'},"
                + "{'type':'tool_use','id':'call_1','name':'get_weather','input':{'city':'Paris'}},"
                + "{'type':'tool_use','id':'call_2','name':'get_weather','input':{'city':'Oslo'}}]},"
                + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'call_1','content':'sunny'},"
                + "{'type':'tool_result','tool_use_id':'call_2','content':[{'type':'text','text':'rain'}]},"
                + "{'type':'text','text':'thanks'}]}]"));
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void toolResultsGoFirstEvenWhenUserTextCameBefore() {
        var r = tr("{'messages':[{'role':'user','content':'go'},"
                + "{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':''}}]},"
                + "{'role':'user','content':'also this'},{'role':'tool','tool_call_id':'c1','content':'ok'}]}");
        assertThat(r.request().at("/messages/1/content/0/input")).isEqualTo(json("{}"));
        assertThat(r.request().at("/messages/2/content")).isEqualTo(json(
                "[{'type':'tool_result','tool_use_id':'c1','content':'ok'},{'type':'text','text':'also this'}]"));
    }

    @Test
    void invalidArgumentsAreKeptRawAndListed() {
        var r = tr("{'messages':[{'role':'user','content':'x'},{'role':'assistant','content':null,'tool_calls':["
                + "{'id':'c1','type':'function','function':{'name':'f','arguments':'{broken'}},"
                + "{'id':'c2','type':'function','function':{'name':'g','arguments':'[1,2]'}}]}]}");
        assertThat(r.request().at("/messages/1/content/0/input")).isEqualTo(json("{'_raw_arguments':'{broken'}"));
        assertThat(r.request().at("/messages/1/content/1/input")).isEqualTo(json("{'_raw_arguments':'[1,2]'}"));
        assertThat(r.dropped()).containsExactly(
                "messages[1].tool_calls[0].arguments (not a JSON object: kept as _raw_arguments)",
                "messages[1].tool_calls[1].arguments (not a JSON object: kept as _raw_arguments)");
    }

    @Test
    void consecutiveSameRoleMessagesAreMergedAndAssistantFirstGetsAPlaceholder() {
        var r = tr("{'messages':[{'role':'system','content':'s'},{'role':'assistant','content':'Hello, I am a bot.'},"
                + "{'role':'user','content':'a'},{'role':'user','content':'b'},{'role':'assistant','content':'Sure:  \\n'}]}");
        assertThat(r.request().get("messages")).isEqualTo(json("["
                + "{'role':'user','content':[{'type':'text','text':'.'}]},"
                + "{'role':'assistant','content':[{'type':'text','text':'Hello, I am a bot.'}]},"
                + "{'role':'user','content':[{'type':'text','text':'a'},{'type':'text','text':'b'}]},"
                + "{'role':'assistant','content':[{'type':'text','text':'Sure:'}]}]"));
        assertThat(r.dropped()).singleElement().asString().startsWith("messages (inserted a placeholder user message");
    }

    @Test
    void noMessagesAtAllStillGivesAValidRequest() {
        var r = tr("{'messages':[{'role':'system','content':'Write a haiku.'}]}");
        assertThat(r.request().get("system").asText()).isEqualTo("Write a haiku.");
        assertThat(r.request().get("messages")).isEqualTo(json("[{'role':'user','content':[{'type':'text','text':'.'}]}]"));
    }

    @Test
    void legacyFunctionsAndFunctionRoleAreMapped() {
        var r = tr("{'messages':[{'role':'user','content':'q'},"
                + "{'role':'assistant','content':null,'function_call':{'name':'lookup','arguments':'{\\'k\\':1}'}},"
                + "{'role':'function','name':'lookup','content':'v'},{'role':'function','name':'other','content':'w'}],"
                + "'functions':[{'name':'lookup','parameters':{'type':'object','properties':{'k':{'type':'integer'}}}}],"
                + "'function_call':{'name':'lookup'}}");
        assertThat(r.request().at("/messages/1/content/0")).isEqualTo(json(
                "{'type':'tool_use','id':'toolu_tracegate_1','name':'lookup','input':{'k':1}}"));
        assertThat(r.request().at("/messages/2/content")).isEqualTo(json(
                "[{'type':'tool_result','tool_use_id':'toolu_tracegate_1','content':'v'}]"));
        assertThat(r.request().get("tools")).isEqualTo(json(
                "[{'name':'lookup','input_schema':{'type':'object','properties':{'k':{'type':'integer'}}}}]"));
        assertThat(r.request().get("tool_choice")).isEqualTo(json("{'type':'tool','name':'lookup'}"));
        assertThat(r.dropped()).containsExactly("messages[3] (function result without a matching function_call)");
    }

    @Test
    void toolsAndEveryToolChoice() {
        String tools = "'tools':[{'type':'function','function':{'name':'a','description':'does a','parameters':{'type':'object','properties':{'x':{'type':'string'}},'required':['x']}}},"
                + "{'type':'function','function':{'name':'b'}},{'type':'custom','custom':{'name':'c'}}]";
        String base = "{'messages':[{'role':'user','content':'q'}]," + tools;
        var auto = tr(base + ",'tool_choice':'auto'}");
        assertThat(auto.request().get("tools")).isEqualTo(json("[{'name':'a','description':'does a','input_schema':"
                + "{'type':'object','properties':{'x':{'type':'string'}},'required':['x']}},"
                + "{'name':'b','input_schema':{'type':'object','properties':{}}}]"));
        assertThat(auto.request().get("tool_choice")).isEqualTo(json("{'type':'auto'}"));
        assertThat(auto.dropped()).containsExactly("tools[2] (unsupported tool type custom)");
        assertThat(tr(base + ",'tool_choice':'required'}").request().get("tool_choice")).isEqualTo(json("{'type':'any'}"));
        assertThat(tr(base + ",'tool_choice':'none'}").request().get("tool_choice")).isEqualTo(json("{'type':'none'}"));
        assertThat(tr(base + ",'tool_choice':{'type':'function','function':{'name':'a'}}}").request().get("tool_choice"))
                .isEqualTo(json("{'type':'tool','name':'a'}"));
        assertThat(tr(base + ",'parallel_tool_calls':false}").request().get("tool_choice"))
                .isEqualTo(json("{'type':'auto','disable_parallel_tool_use':true}"));
        assertThat(tr(base + ",'tool_choice':'required','parallel_tool_calls':false}").request().get("tool_choice"))
                .isEqualTo(json("{'type':'any','disable_parallel_tool_use':true}"));
        assertThat(tr(base + ",'parallel_tool_calls':true}").request().has("tool_choice")).isFalse();
        var noTools = tr("{'messages':[{'role':'user','content':'q'}],'tool_choice':'auto'}");
        assertThat(noTools.request().has("tool_choice")).isFalse();
        assertThat(noTools.dropped()).containsExactly("tool_choice (no tools to choose from)");
    }

    @Test
    void samplingLimitsStopUserAndStream() {
        var r = tr("{'messages':[{'role':'user','content':'q'}],'max_completion_tokens':100,'max_tokens':50,"
                + "'stop':['END','  '],'temperature':1.5,'user':'u-42','stream':true}");
        ObjectNode q = r.request();
        assertThat(q.get("max_tokens").asInt()).isEqualTo(100);
        assertThat(q.get("stop_sequences")).isEqualTo(json("['END']"));
        assertThat(q.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(q.get("metadata")).isEqualTo(json("{'user_id':'u-42'}"));
        assertThat(q.get("stream").asBoolean()).isTrue();
        assertThat(r.dropped()).containsExactlyInAnyOrder("stop[1] (empty or whitespace-only stop sequence)",
                "temperature (clamped from 1.5 to 1.0, Anthropic's range is 0..1)");
        var s = tr("{'messages':[{'role':'user','content':'q'}],'max_tokens':77,'stop':'\\n\\nHuman:','top_p':0.9,'temperature':-0.5}");
        assertThat(s.request().get("max_tokens").asInt()).isEqualTo(77);
        assertThat(s.request().get("stop_sequences")).isEqualTo(json("['\\n\\nHuman:']"));
        assertThat(s.request().get("temperature").asDouble()).isZero();
        assertThat(s.request().has("top_p")).isFalse();
        assertThat(s.dropped()).anyMatch(d -> d.startsWith("top_p (recent Claude models reject temperature and top_p"));
        var onlyTopP = tr("{'messages':[{'role':'user','content':'q'}],'top_p':0.9,'max_tokens':0}");
        assertThat(onlyTopP.request().get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(onlyTopP.request().get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(onlyTopP.dropped()).containsExactly("max_tokens (not a positive integer: 0)");
    }

    @Test
    void reasoningEffortBecomesThinkingWithABudgetBelowMaxTokens() {
        var high = tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'high','temperature':0.2}");
        assertThat(high.request().get("thinking")).isEqualTo(json("{'type':'enabled','budget_tokens':16384}"));
        assertThat(high.request().get("max_tokens").asInt()).isEqualTo(16384 + 4096);
        assertThat(high.request().has("temperature")).isFalse();
        assertThat(high.dropped()).containsExactly("temperature (extended thinking requires the default temperature)");

        var low = tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'low','max_completion_tokens':8000}");
        assertThat(low.request().get("thinking").get("budget_tokens").asInt()).isEqualTo(1024);
        assertThat(low.request().get("max_tokens").asInt()).isEqualTo(8000);
        assertThat(low.dropped()).isEmpty();

        var tight = tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'medium','max_tokens':1000}");
        assertThat(tight.request().get("max_tokens").asInt()).isEqualTo(5096);
        assertThat(tight.dropped()).singleElement().asString().startsWith("max_tokens (raised from 1000 to 5096");

        assertThat(tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'none'}").request().has("thinking")).isFalse();
        var minimal = tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'minimal'}");
        assertThat(minimal.request().has("thinking")).isFalse();
        assertThat(minimal.dropped()).singleElement().asString().startsWith("reasoning_effort (minimal");
    }

    @Test
    void thinkingStaysOffWhenAToolIsForcedOrTheLastAssistantTurnCalledTools() {
        var forced = tr("{'messages':[{'role':'user','content':'q'}],'reasoning_effort':'high',"
                + "'tools':[{'type':'function','function':{'name':'a'}}],'tool_choice':'required'}");
        assertThat(forced.request().has("thinking")).isFalse();
        assertThat(forced.request().get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(forced.dropped()).anyMatch(d -> d.contains("forced tool_choice"));
        var loop = tr("{'messages':[{'role':'user','content':'q'},"
                + "{'role':'assistant','reasoning_content':'hmm','tool_calls':[{'id':'c','type':'function','function':{'name':'a','arguments':'{}'}}]},"
                + "{'role':'tool','tool_call_id':'c','content':'r'}],'reasoning_effort':'low','tools':[{'type':'function','function':{'name':'a'}}]}");
        assertThat(loop.request().has("thinking")).isFalse();
        assertThat(loop.dropped()).containsExactly(
                "messages[1].reasoning_content (thinking cannot be replayed without its signature)",
                "reasoning_effort (the last assistant turn has tool calls without its signed thinking block)");
    }

    @Test
    void unsupportedFieldsAreDroppedAndListedButDefaultsAreNot() {
        var r = tr("{'model':'gpt-4o','messages':[{'role':'user','content':'q'}],'n':3,'logprobs':true,'top_logprobs':2,"
                + "'presence_penalty':0.5,'frequency_penalty':0.1,'seed':7,'response_format':{'type':'json_object'},"
                + "'stream_options':{'include_usage':true},'logit_bias':{'1':2},'modalities':['text'],'audio':{},"
                + "'prediction':{},'store':true,'metadata':{'a':'b'},'service_tier':'flex','frobnicate':1,'temperature':null}");
        List<String> names = r.dropped().stream().map(d -> d.substring(0, d.indexOf(' '))).toList();
        assertThat(names).containsExactly("n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed",
                "response_format", "stream_options", "logit_bias", "modalities", "audio", "prediction", "store", "metadata",
                "service_tier", "frobnicate");
        assertThat(r.dropped()).contains("frobnicate (unknown field)", "n (Anthropic generates one choice per request)");
        assertThat(r.request().has("metadata")).isFalse();
        assertThat(r.request().has("temperature")).isFalse();
        var defaults = tr("{'messages':[{'role':'user','content':'q'}],'n':1,'logprobs':false,'store':false,"
                + "'response_format':{'type':'text'},'parallel_tool_calls':true}");
        assertThat(defaults.dropped()).isEmpty();
    }

    @Test
    void oddShapesNeverThrow() {
        for (String odd : new String[] {"[]", "null", "'text'", "{'messages':'hi'}", "{'messages':[1,null,{'role':7},{'role':'user','content':{'x':1}}]}",
                "{'messages':[{'role':'assistant','tool_calls':[{'function':{}},{'id':'x'}],'content':[{'type':'image_url'}]}],'tools':[1,{'type':'function'}],"
                        + "'tool_choice':{'type':'weird'},'stop':5,'max_tokens':'big','temperature':'hot','stream':'yes','user':3,'reasoning_effort':5}",
                "{'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,raw'}},{'type':'image_url','image_url':'ftp://x'},"
                        + "{'type':'image_url','image_url':{'url':'data:text/plain;base64,aGVsbG8='}},{'type':'file','file':{'file_id':'f1'}}]}]}"}) {
            JsonNode in = odd.equals("null") ? null : json(odd);
            var r = OpenAiToAnthropicRequest.translate(in, "m");
            assertThat(r.request().get("model").asText()).isEqualTo("m");
            assertThat(r.request().get("messages").isArray()).isTrue();
            assertThat(r.request().get("messages").get(0).get("role").asText()).isEqualTo("user");
        }
        var plain = tr("{'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:text/plain;base64,aGVsbG8='}}]}]}");
        assertThat(plain.request().at("/messages/0/content/0/source")).isEqualTo(json("{'type':'text','media_type':'text/plain','data':'hello'}"));
    }

    @Test
    void inputIsNotModified() {
        JsonNode in = json("{'messages':[{'role':'assistant','content':'x  '},{'role':'user','content':'q'}],'tools':[{'type':'function','function':{'name':'a','parameters':{'properties':{}}}}]}");
        JsonNode copy = in.deepCopy();
        var r = OpenAiToAnthropicRequest.translate(in, "m");
        assertThat(in).isEqualTo(copy);
        assertThat(r.request().at("/tools/0/input_schema")).isEqualTo(json("{'properties':{},'type':'object'}"));
    }
}
