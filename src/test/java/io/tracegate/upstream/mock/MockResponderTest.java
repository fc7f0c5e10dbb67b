package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import io.tracegate.protocol.openai.CompletionStreamAssembler;
import io.tracegate.protocol.openai.UsageChunk;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseFrame;
import io.tracegate.protocol.sse.SseFrameSplitter;
import io.tracegate.protocol.sse.SseWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockResponderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MockResponder MOCK = MockResponder.fixed(1_700_000_000L);
    private static final String MODEL = "mock-backend";

    private static ObjectNode req(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json.replace('\'', '"'));
    }

    /** Round trip through bytes, as the gateway and its clients see JSON. */
    private static JsonNode wire(JsonNode node) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsBytes(node));
    }

    /** The stream as SSE bytes, split at awkward places, assembled back like the gateway's tap does. */
    private static ObjectNode assembleChat(List<ObjectNode> chunks) throws Exception {
        ChatStreamAssembler a = new ChatStreamAssembler();
        for (byte[] data : sseRoundTrip(chunks)) {
            a.feed(data);
        }
        return a.result();
    }

    private static List<byte[]> sseRoundTrip(List<ObjectNode> chunks) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (ObjectNode c : chunks) {
            stream.writeBytes(SseWriter.data(MAPPER.writeValueAsBytes(c)));
        }
        stream.writeBytes(SseWriter.done());
        byte[] bytes = stream.toByteArray();
        SseFrameSplitter splitter = new SseFrameSplitter();
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < bytes.length; off += 7) {
            splitter.feed(bytes, off, Math.min(7, bytes.length - off), frames::add);
        }
        assertThat(splitter.finish()).isNull();
        assertThat(SseEvents.isDone(frames.get(frames.size() - 1))).isTrue();
        List<byte[]> data = new ArrayList<>();
        for (byte[] f : frames.subList(0, frames.size() - 1)) {
            SseFrame parsed = SseEvents.parse(f);
            assertThat(parsed.isDone()).isFalse();
            data.add(SseEvents.data(f));
        }
        return data;
    }

    @Test
    void chatNonStreamShape() throws Exception {
        JsonNode r = MOCK.nonStream(req("{'model':'x','messages':[{'role':'system','content':'Be brief.'},"
                + "{'role':'user','content':'What is the capital of France?'}]}"), MODEL);
        assertThat(r.get("id").asText()).startsWith("chatcmpl-mock-");
        assertThat(r.get("object").asText()).isEqualTo("chat.completion");
        assertThat(r.get("created").asLong()).isEqualTo(1_700_000_000L);
        assertThat(r.get("model").asText()).isEqualTo(MODEL);
        JsonNode c = r.at("/choices/0");
        assertThat(c.at("/message/role").asText()).isEqualTo("assistant");
        assertThat(c.at("/message/content").asText())
                .isEqualTo("Mock answer to: What is the capital of France?. This reply is deterministic.");
        assertThat(c.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(c.get("logprobs").isNull()).isTrue();
        assertThat(c.has("token_ids")).isFalse();
        assertThat(r.has("prompt_token_ids")).isFalse();
        // <|im_start|>system\n Be brief.<|im_end|>\n <|im_start|>user\n What...?<|im_end|>\n <|im_start|>assistant\n
        int template = 5 + 2 * ToyTokenizer.split("\n").size() + ToyTokenizer.split("system\n").size() + ToyTokenizer.split("user\n").size()
                + ToyTokenizer.split("assistant\n").size();
        assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(template + ToyTokenizer.split("Be brief.").size()
                + ToyTokenizer.split("What is the capital of France?").size());
        // the answer and <|im_end|>
        assertThat(r.at("/usage/completion_tokens").asInt())
                .isEqualTo(ToyTokenizer.split(c.at("/message/content").asText()).size() + 1);
        assertThat(r.at("/usage/total_tokens").asInt())
                .isEqualTo(r.at("/usage/prompt_tokens").asInt() + r.at("/usage/completion_tokens").asInt());
    }

    @Test
    void tokenIdsAndLogprobsFollowTheRequestLikeVllm() throws Exception {
        JsonNode r = MOCK.nonStream(req("{'messages':[{'role':'user','content':[{'type':'text','text':'Tell me a joke'}]}],"
                + "'return_token_ids':true,'logprobs':true,'top_logprobs':3}"), MODEL);
        JsonNode c = r.at("/choices/0");
        String content = c.at("/message/content").asText();
        assertThat(c.get("token_ids")).hasSize(r.at("/usage/completion_tokens").asInt());
        assertThat(r.get("prompt_token_ids")).hasSize(r.at("/usage/prompt_tokens").asInt());
        int[] expectedIds = ToyTokenizer.encode(content);
        for (int i = 0; i < expectedIds.length; i++) {
            assertThat(c.get("token_ids").get(i).asInt()).isEqualTo(expectedIds[i]).isBetween(1000, 150_999);
        }
        assertThat(c.get("token_ids")).hasSize(expectedIds.length + 1);
        assertThat(c.get("token_ids").get(expectedIds.length).asInt()).isEqualTo(151_645); // <|im_end|>
        JsonNode entries = c.at("/logprobs/content");
        assertThat(entries).hasSize(expectedIds.length + 1);
        StringBuilder joined = new StringBuilder();
        for (JsonNode e : entries) {
            joined.append(e.get("token").asText());
            assertThat(e.get("logprob").asDouble()).isNegative();
            assertThat(e.get("bytes")).isNotEmpty();
            assertThat(e.get("top_logprobs")).hasSize(3);
            assertThat(e.at("/top_logprobs/0/token").asText()).isEqualTo(e.get("token").asText());
            assertThat(e.at("/top_logprobs/1/logprob").asDouble()).isLessThan(e.get("logprob").asDouble());
        }
        assertThat(joined.toString()).isEqualTo(content + "<|im_end|>");
    }

    @Test
    void chatStreamAssemblesToTheNonStreamResponse() throws Exception {
        String[] requests = {
            "{'messages':[{'role':'user','content':'Hello there, how are you doing today? Ünïcödé 🙂 ok'}],'stream':true,"
                    + "'stream_options':{'include_usage':true},'return_token_ids':true,'logprobs':true,'top_logprobs':2}",
            "{'messages':[{'role':'user','content':'Short'}],'stream':true,'stream_options':{'include_usage':true},'n':3,'max_tokens':4}",
            "{'messages':[{'role':'user','content':'weather in Paris?'}],'stream':true,'stream_options':{'include_usage':true},"
                    + "'return_token_ids':true,'logprobs':true,"
                    + "'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object','properties':{'city':{'type':'string'}}}}}]}",
        };
        for (String json : requests) {
            ObjectNode request = req(json);
            List<ObjectNode> chunks = MOCK.streamChunks(request, MODEL);
            assertThat(assembleChat(chunks)).as(json).isEqualTo(wire(MOCK.nonStream(request, MODEL)));
        }
    }

    @Test
    void chatStreamFollowsOpenAiChunkOrder() throws Exception {
        ObjectNode request = req("{'messages':[{'role':'user','content':'Hi'}],'stream':true,"
                + "'stream_options':{'include_usage':true},'return_token_ids':true}");
        List<ObjectNode> chunks = MOCK.streamChunks(request, MODEL);
        ObjectNode first = chunks.get(0);
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(first.at("/choices/0/delta/content").asText()).isEmpty();
        assertThat(first.has("prompt_token_ids")).isTrue();
        assertThat(chunks.subList(1, chunks.size())).allSatisfy(c -> assertThat(c.has("prompt_token_ids")).isFalse());
        ObjectNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.at("/choices/0/token_ids")).containsExactly(MAPPER.getNodeFactory().numberNode(151_645));
        ObjectNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(UsageChunk.isUsageOnly(MAPPER.writeValueAsBytes(usage))).isTrue();
        for (ObjectNode c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.get("usage").isNull()).isTrue();
            assertThat(UsageChunk.isUsageOnly(MAPPER.writeValueAsBytes(c))).isFalse();
        }
        for (ObjectNode c : chunks.subList(1, chunks.size() - 2)) {
            assertThat(c.at("/choices/0/token_ids")).hasSize(1);
        }
        // without include_usage: no usage chunk and no usage field at all
        List<ObjectNode> plain = MOCK.streamChunks(req("{'messages':[{'role':'user','content':'Hi'}],'stream':true}"), MODEL);
        assertThat(plain).allSatisfy(c -> {
            assertThat(c.has("usage")).isFalse();
            assertThat(c.get("choices")).hasSize(1);
        });
    }

    @Test
    void maxTokensTruncatesWithLength() throws Exception {
        JsonNode r = MOCK.nonStream(req("{'messages':[{'role':'user','content':'Explain everything'}],'max_tokens':3,'return_token_ids':true}"), MODEL);
        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(r.at("/choices/0/token_ids")).hasSize(3);
        assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Mock answer to");
        JsonNode r2 = MOCK.nonStream(req("{'messages':[{'role':'user','content':'Explain'}],'max_completion_tokens':2,'max_tokens':50}"), MODEL);
        assertThat(r2.at("/usage/completion_tokens").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> MOCK.nonStream(req("{'messages':[{'role':'user','content':'x'}],'max_tokens':0}"), MODEL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_tokens");
    }

    @Test
    void severalChoices() throws Exception {
        JsonNode r = MOCK.nonStream(req("{'messages':[{'role':'user','content':'Hi'}],'n':2}"), MODEL);
        assertThat(r.get("choices")).hasSize(2);
        assertThat(r.at("/choices/1/index").asInt()).isEqualTo(1);
        assertThat(r.at("/choices/1/message/content").asText()).isNotEqualTo(r.at("/choices/0/message/content").asText());
        int sum = ToyTokenizer.split(r.at("/choices/0/message/content").asText()).size()
                + ToyTokenizer.split(r.at("/choices/1/message/content").asText()).size() + 2; // each ends with <|im_end|>
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(sum);
    }

    @Test
    void toolCallForWeatherQuestions() throws Exception {
        String tools = ",'tools':[{'type':'function','function':{'name':'lookup_weather','parameters':{'type':'object',"
                + "'properties':{'location':{'type':'string'},'unit':{'type':'string'}}}}}]";
        JsonNode r = MOCK.nonStream(req("{'messages':[{'role':'user','content':'What is the weather in New York today?'}]" + tools + "}"), MODEL);
        JsonNode c = r.at("/choices/0");
        assertThat(c.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(c.at("/message/content").isNull()).isTrue();
        JsonNode call = c.at("/message/tool_calls/0");
        assertThat(call.get("id").asText()).startsWith("call_").hasSize(29);
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("lookup_weather");
        assertThat(MAPPER.readTree(call.at("/function/arguments").asText())).isEqualTo(req("{'location':'New York'}"));

        JsonNode noTool = MOCK.nonStream(req("{'messages':[{'role':'user','content':'Tell me a story'}]" + tools + "}"), MODEL);
        assertThat(noTool.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode choiceNone = MOCK.nonStream(req("{'messages':[{'role':'user','content':'weather?'}],'tool_choice':'none'" + tools + "}"), MODEL);
        assertThat(choiceNone.at("/choices/0/message/tool_calls").isMissingNode()).isTrue();

        List<ObjectNode> chunks = MOCK.streamChunks(req("{'messages':[{'role':'user','content':'weather in Rome'}],'stream':true" + tools + "}"), MODEL);
        long argumentChunks = chunks.stream().filter(ch -> ch.at("/choices/0/delta/tool_calls/0/function/arguments").asText().length() > 0).count();
        assertThat(argumentChunks).isGreaterThan(2);
    }

    @Test
    void deterministic() throws Exception {
        String json = "{'messages':[{'role':'user','content':'Same question'}],'stream':true,'stream_options':{'include_usage':true},"
                + "'return_token_ids':true,'logprobs':true,'top_logprobs':5}";
        MockResponder other = MockResponder.fixed(1_700_000_000L);
        assertThat(other.streamChunks(req(json), MODEL)).isEqualTo(MOCK.streamChunks(req(json), MODEL));
        assertThat(other.nonStream(req(json), MODEL)).isEqualTo(MOCK.nonStream(req(json), MODEL));
        assertThat(MOCK.nonStream(req(json), "other-model").get("id")).isNotEqualTo(MOCK.nonStream(req(json), MODEL).get("id"));
        assertThat(MockResponder.fixed(5).nonStream(req(json), MODEL).get("created").asLong()).isEqualTo(5);
    }

    @Test
    void completionsNonStreamAndStream() throws Exception {
        ObjectNode request = req("{'model':'x','prompt':'Once upon a time','max_tokens':50,'logprobs':2,'return_token_ids':true,"
                + "'stream_options':{'include_usage':true}}");
        JsonNode r = MOCK.nonStream(request, MODEL);
        assertThat(r.get("object").asText()).isEqualTo("text_completion");
        assertThat(r.get("id").asText()).startsWith("cmpl-mock-");
        JsonNode c = r.at("/choices/0");
        String text = c.get("text").asText();
        assertThat(text).isEqualTo(" and this is a mock completion of \"Once upon a time\".");
        assertThat(c.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(c.get("prompt_token_ids")).hasSize(ToyTokenizer.split("Once upon a time").size());
        assertThat(c.get("token_ids")).hasSize(r.at("/usage/completion_tokens").asInt());
        JsonNode lp = c.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(c.get("token_ids").size());
        assertThat(lp.get("token_logprobs")).allSatisfy(x -> assertThat(x.asDouble()).isNegative());
        assertThat(lp.get("top_logprobs")).allSatisfy(x -> assertThat(x).hasSize(2));
        assertThat(lp.get("text_offset").get(0).asInt()).isZero();
        assertThat(lp.at("/text_offset/1").asInt()).isEqualTo(lp.at("/tokens/0").asText().length());

        List<ObjectNode> chunks = MOCK.streamChunks(request, MODEL);
        CompletionStreamAssembler a = new CompletionStreamAssembler();
        for (byte[] data : sseRoundTrip(chunks)) {
            a.feed(data);
        }
        assertThat(a.result()).isEqualTo(wire(r));
    }

    @Test
    void completionsDefaultToSixteenTokensAndAcceptTokenIdPrompts() throws Exception {
        JsonNode r = MOCK.nonStream(req("{'prompt':'" + "word ".repeat(30) + "'}"), MODEL);
        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(16);
        JsonNode ids = MOCK.nonStream(req("{'prompt':[11,12,13],'return_token_ids':true,'max_tokens':100}"), MODEL);
        assertThat(ids.at("/choices/0/prompt_token_ids")).isEqualTo(MAPPER.readTree("[11,12,13]"));
        assertThat(ids.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> MOCK.nonStream(req("{'prompt':['a','b']}"), MODEL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsRequestsItCannotServe() throws Exception {
        assertThatThrownBy(() -> MOCK.nonStream(req("{'model':'x'}"), MODEL)).hasMessageContaining("messages");
        assertThatThrownBy(() -> MOCK.nonStream(req("{'messages':[]}"), MODEL)).hasMessageContaining("messages");
        assertThatThrownBy(() -> MOCK.nonStream(req("{'messages':[{'role':'user','content':'x'}],'n':0}"), MODEL))
                .hasMessageContaining("'n'");
        assertThat(MockResponder.Endpoint.detect(req("{'prompt':'x'}"))).isEqualTo(MockResponder.Endpoint.COMPLETIONS);
    }
}
