package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.testing.SchemaCheck;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Which tool the mock calls, with which arguments, and that it answers in text once the tool results are in. */
class MockToolCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockResponder MOCK = MockResponder.fixed(1_700_000_000L);
    private static final String MODEL = "mock-backend";

    private static final String WEATHER = "{'type':'function','function':{'name':'get_weather','description':"
            + "'Current weather for a city','parameters':{'type':'object','properties':{'location':{'type':'string'},"
            + "'unit':{'type':'string','enum':['celsius','fahrenheit']}},'required':['location','unit']}}}";
    private static final String TIME = "{'type':'function','function':{'name':'get_current_time','description':"
            + "'The local time','parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}}";
    private static final String SEARCH = "{'type':'function','function':{'name':'search_docs','description':"
            + "'Full-text search over the project documentation','parameters':{'type':'object','properties':"
            + "{'query':{'type':'string'}},'required':['query']}}}";

    private static ObjectNode json(String s) throws IOException {
        return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    }

    /** A request that must call its only tool. */
    private static ObjectNode forced(String userText, String tool) throws IOException {
        return (ObjectNode) request(userText, tool).put("tool_choice", "required");
    }

    private static ObjectNode request(String userText, String... tools) throws IOException {
        ObjectNode req = json("{'messages':[{'role':'user','content':''}]}");
        ((ObjectNode) req.get("messages").get(0)).put("content", userText);
        ArrayNode array = req.putArray("tools");
        for (String t : tools) {
            array.add(json(t));
        }
        return req;
    }

    private static JsonNode call(ObjectNode request) {
        JsonNode choice = MOCK.nonStream(request, MODEL).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).as(choice.toString()).isEqualTo("tool_calls");
        return choice.at("/message/tool_calls/0/function");
    }

    private static JsonNode arguments(JsonNode function) throws IOException {
        return JSON.readTree(function.get("arguments").asText());
    }

    /** Claude Code 2.1.332's twelve tools as the gateway hands them to an OpenAI-compatible backend. */
    private static ArrayNode claudeCodeTools() throws IOException {
        JsonNode fixture;
        try (InputStream in = MockToolCallTest.class.getResourceAsStream("/fixtures/claude-code-2.1.332-first-turn.json")) {
            fixture = JSON.readTree(in);
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode t : fixture.at("/body/tools")) {
            ObjectNode fn = out.addObject().put("type", "function").putObject("function");
            fn.put("name", t.get("name").asText()).put("description", t.path("description").asText(""));
            fn.set("parameters", t.get("input_schema"));
        }
        return out;
    }

    @Test
    void picksTheToolTheLowercaseTextIsAboutAndTakesThePlaceFromIt() throws Exception {
        JsonNode weather = call(request("what's the weather like in new york today?", TIME, SEARCH, WEATHER));
        assertThat(weather.get("name").asText()).isEqualTo("get_weather");
        assertThat(arguments(weather)).isEqualTo(json("{'location':'New York','unit':'celsius'}"));

        JsonNode fahrenheit = call(request("how hot is it in paris, in fahrenheit please", WEATHER, TIME));
        assertThat(arguments(fahrenheit)).isEqualTo(json("{'location':'Paris','unit':'fahrenheit'}"));

        JsonNode time = call(request("what time is it in tokyo right now", WEATHER, TIME, SEARCH));
        assertThat(time.get("name").asText()).isEqualTo("get_current_time");
        assertThat(arguments(time)).isEqualTo(json("{'city':'Tokyo'}"));

        JsonNode search = call(request("search the docs for \"event loop\"", WEATHER, TIME, SEARCH));
        assertThat(search.get("name").asText()).isEqualTo("search_docs");
        assertThat(arguments(search)).isEqualTo(json("{'query':'event loop'}"));
    }

    @Test
    void withNothingInCommonItAnswersInTextUnlessACallIsRequired() throws Exception {
        ObjectNode hello = request("hello there", SEARCH, WEATHER);
        JsonNode text = MOCK.nonStream(hello, MODEL).at("/choices/0");
        assertThat(text.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(text.at("/message/content").asText()).isEqualTo("Mock answer to: hello there. This reply is deterministic.");

        hello.put("tool_choice", "required");
        JsonNode first = call(hello);
        assertThat(first.get("name").asText()).isEqualTo("search_docs");
        assertThat(arguments(first)).isEqualTo(json("{'query':'hello there'}"));

        // an agent's own notes (Claude Code's system reminders) are not a request
        ObjectNode reminder = request("<system-reminder>Agent a1 finished: search the docs.</system-reminder>", SEARCH);
        assertThat(MOCK.nonStream(reminder, MODEL).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void picksClaudeCodesToolsAndBuildsTheirArguments() throws Exception {
        ArrayNode tools = claudeCodeTools();
        String[][] cases = {
                {"run echo hi", "Bash", "{'command':'echo hi'}"},
                {"Please run `ls -la` for me.", "Bash", "{'command':'ls -la'}"},
                {"list the files here", "Bash", "{'command':'ls'}"},
                {"read the file /etc/hosts", "Read", "{'file_path':'/etc/hosts'}"},
        };
        for (String[] c : cases) {
            ObjectNode req = request(c[0]);
            req.set("tools", tools);
            JsonNode fn = call(req);
            assertThat(fn.get("name").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(arguments(fn)).as(c[0]).isEqualTo(json(c[2]));
        }
    }

    @Test
    void everyClaudeCodeToolGetsArgumentsItsSchemaAccepts() throws Exception {
        ArrayNode tools = claudeCodeTools();
        for (JsonNode tool : tools) {
            String name = tool.at("/function/name").asText();
            ObjectNode req = request("fix the bug in src/Main.java, then run the tests 3 times");
            req.set("tools", tools);
            req.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
            JsonNode fn = call(req);
            assertThat(fn.get("name").asText()).isEqualTo(name);
            JsonNode schema = tool.at("/function/parameters");
            assertThat(SchemaCheck.problems(schema, arguments(fn))).as(name + " " + fn).isEmpty();
            for (JsonNode required : schema.path("required")) {
                assertThat(arguments(fn).has(required.asText())).as(name + " " + required).isTrue();
            }
        }
    }

    @Test
    void argumentsSatisfyTheirSchemas() throws Exception {
        String[] schemas = {
                // nested objects, arrays of objects with minItems and enums inside, numbers with bounds
                "{'type':'object','required':['order','items','priority','express'],'properties':{"
                        + "'order':{'type':'object','required':['id','address'],'properties':{'id':{'type':'integer','minimum':10,"
                        + "'maximum':20},'address':{'type':'object','required':['city','zip'],'properties':{'city':{'type':'string'},"
                        + "'zip':{'type':'string','minLength':5,'maxLength':5}}}}},"
                        + "'items':{'type':'array','minItems':2,'items':{'type':'object','required':['sku','qty','size'],"
                        + "'properties':{'sku':{'type':'string'},'qty':{'type':'integer','exclusiveMinimum':0},"
                        + "'size':{'enum':['S','M','L']}}}},"
                        + "'priority':{'type':'number','exclusiveMaximum':1},'express':{'type':'boolean'}},"
                        + "'additionalProperties':false}",
                // pydantic style: $defs, $ref, anyOf with null, type lists
                "{'$defs':{'Point':{'type':'object','properties':{'x':{'type':'number'},'y':{'type':'number'}},"
                        + "'required':['x','y']}},'type':'object','properties':{'origin':{'$ref':'#/$defs/Point'},"
                        + "'label':{'anyOf':[{'type':'null'},{'type':'string'}]},'tags':{'type':['null','array'],"
                        + "'items':{'type':'string','maxLength':4}},'scale':{'type':['integer','null']}},"
                        + "'required':['origin','label','tags','scale']}",
                // allOf, const, a required name without a schema, tuples, an empty array bound
                "{'type':'object','allOf':[{'properties':{'mode':{'const':'fast'}},'required':['mode']},"
                        + "{'properties':{'pair':{'type':'array','prefixItems':[{'type':'string'},{'type':'integer'}],"
                        + "'minItems':2}},'required':['pair']}],'properties':{'none':{'type':'array','maxItems':0}},"
                        + "'required':['none','free']}",
                // OpenAI strict mode: every property required, no others
                "{'type':'object','properties':{'email':{'type':'string','format':'email'},'url':{'type':'string'},"
                        + "'when':{'type':'string','format':'date'},'path':{'type':'string'},'count':{'type':'integer'}},"
                        + "'required':['email','url','when','path','count'],'additionalProperties':false}",
                // a recursive schema
                "{'type':'object','$defs':{'node':{'type':'object','properties':{'children':{'type':'array',"
                        + "'items':{'$ref':'#/$defs/node'}},'name':{'type':'string'}},'required':['name','children']}},"
                        + "'properties':{'tree':{'$ref':'#/$defs/node'}},'required':['tree']}",
                // a branch that only adds a required name keeps the parent's properties
                "{'type':'object','properties':{'id':{'type':'integer'},'name':{'type':'string'}},"
                        + "'anyOf':[{'required':['id']},{'required':['name']}]}",
                "{'type':'object','properties':{}}",
        };
        String text = "mail ada@example.org about https://example.org/a?b=1 on 2026-03-04, see docs/notes.md, 7 copies";
        for (String s : schemas) {
            ObjectNode schema = json(s);
            String tool = "{'type':'function','function':{'name':'t','parameters':" + s + "}}";
            JsonNode args = arguments(call(forced(text, tool)));
            assertThat(SchemaCheck.problems(schema, args)).as(s + "\n" + args).isEmpty();
        }
        JsonNode strict = arguments(call(forced(text, "{'type':'function','function':{'name':'t','parameters':"
                + schemas[3] + "}}")));
        assertThat(strict).isEqualTo(json("{'email':'ada@example.org','url':'https://example.org/a?b=1',"
                + "'when':'2026-03-04','path':'docs/notes.md','count':7}"));
        JsonNode withoutParameters = arguments(call(forced("hi", "{'type':'function','function':{'name':'ping'}}")));
        assertThat(withoutParameters).isEqualTo(json("{}"));
    }

    @Test
    void numbersComeFromTheTextInOrder() throws Exception {
        String add = "{'type':'function','function':{'name':'add','description':'Add two numbers','parameters':"
                + "{'type':'object','properties':{'a':{'type':'number'},'b':{'type':'number'}},'required':['a','b']}}}";
        assertThat(arguments(call(request("what is 2+3.5?", add)))).isEqualTo(json("{'a':2,'b':3.5}"));
        assertThat(arguments(call(request("add these", add)))).isEqualTo(json("{'a':1,'b':1}"));
        String multiply = add.replace("'add'", "'multiply'").replace("Add two", "Multiply two");
        assertThat(arguments(call(request("what's 6 * 7?", multiply)))).isEqualTo(json("{'a':6,'b':7}"));
    }

    @Test
    void theSchemaCheckUsedAboveRejectsWrongArguments() throws Exception {
        JsonNode schema = json("{'type':'object','properties':{'n':{'type':'integer','minimum':1},"
                + "'s':{'enum':['a','b']}},'required':['n','s'],'additionalProperties':false}");
        assertThat(SchemaCheck.problems(schema, json("{'n':1,'s':'a'}"))).isEmpty();
        assertThat(SchemaCheck.problems(schema, json("{'n':'1','s':'a'}"))).hasSize(1);
        assertThat(SchemaCheck.problems(schema, json("{'n':0,'s':'c','x':1}"))).hasSize(3);
        assertThat(SchemaCheck.problems(schema, json("{'s':'a'}"))).hasSize(1);
    }

    @Test
    void toolChoiceIsHonoured() throws Exception {
        ObjectNode named = request("what's the weather in rome?", WEATHER, TIME);
        named.putObject("tool_choice").put("type", "function").putObject("function").put("name", "get_current_time");
        assertThat(call(named).get("name").asText()).isEqualTo("get_current_time");

        ObjectNode none = request("what's the weather in rome?", WEATHER);
        none.put("tool_choice", "none");
        JsonNode text = MOCK.nonStream(none, MODEL).at("/choices/0");
        assertThat(text.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(text.at("/message/content").asText()).startsWith("Mock answer to: what's the weather in rome?");

        ObjectNode required = afterToolResult("18 degrees and sunny");
        required.put("tool_choice", "required");
        assertThat(call(required).get("name").asText()).isEqualTo("get_weather");
    }

    private static ObjectNode afterToolResult(String result) throws IOException {
        ObjectNode req = request("what's the weather in rome?", WEATHER);
        ArrayNode messages = (ArrayNode) req.get("messages");
        messages.add(json("{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
                + "'function':{'name':'get_weather','arguments':'{\\'location\\':\\'Rome\\'}'}}]}"));
        messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", result);
        return req;
    }

    @Test
    void afterToolResultsItAnswersInTextThatQuotesThem() throws Exception {
        JsonNode choice = MOCK.nonStream(afterToolResult("18 degrees and sunny"), MODEL).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.at("/message/tool_calls").isMissingNode()).isTrue();
        assertThat(choice.at("/message/content").asText()).isEqualTo("The get_weather tool returned: 18 degrees and sunny.");

        // the stream says the same
        ObjectNode streamed = afterToolResult("18 degrees and sunny");
        streamed.put("stream", true);
        StringBuilder content = new StringBuilder();
        String finish = null;
        for (ObjectNode chunk : MOCK.streamChunks(streamed, MODEL)) {
            content.append(chunk.at("/choices/0/delta/content").asText(""));
            finish = chunk.at("/choices/0/finish_reason").isTextual() ? chunk.at("/choices/0/finish_reason").asText() : finish;
        }
        assertThat(content.toString()).isEqualTo("The get_weather tool returned: 18 degrees and sunny.");
        assertThat(finish).isEqualTo("stop");

        // long results are cut, empty ones said so; text the agent adds after the results does not start a new call
        ObjectNode more = afterToolResult("x".repeat(200));
        ArrayNode messages = (ArrayNode) more.get("messages");
        messages.add(json("{'role':'tool','tool_call_id':'unknown','content':''}"));
        messages.add(json("{'role':'user','content':'<system-reminder>The tool ran.</system-reminder>'}"));
        assertThat(MOCK.nonStream(more, MODEL).at("/choices/0/message/content").asText())
                .isEqualTo("The get_weather tool returned: " + "x".repeat(80) + "... The tool returned no output.");
    }

    @Test
    void toolCallsAreDeterministic() throws Exception {
        ObjectNode req = request("what's the weather in lisbon", WEATHER, TIME);
        assertThat(MOCK.nonStream(req, MODEL)).isEqualTo(MockResponder.fixed(1_700_000_000L).nonStream(req.deepCopy(), MODEL));
        assertThat(MOCK.streamChunks(req, MODEL)).isEqualTo(MOCK.streamChunks(req.deepCopy(), MODEL));
    }
}
