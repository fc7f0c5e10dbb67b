package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Feeding a chunk's bytes (read member by member, skipping what the header already has) must assemble
 * exactly what feeding the chunk's parsed tree does, for well-formed streams and for odd ones alike.
 */
class ChunkBytesEquivalenceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("plain text with usage", List.of(
                        "{'id':'c1','object':'chat.completion.chunk','created':1,'model':'m','system_fingerprint':'fp','choices':"
                                + "[{'index':0,'delta':{'role':'assistant','content':'','refusal':null},'logprobs':null,'finish_reason':null}]}",
                        "{'id':'c1','created':1,'model':'m','choices':[{'index':0,'delta':{'content':'Hi'},'finish_reason':null}]}",
                        "{'id':'c1','created':1,'model':'m','choices':[{'index':0,'delta':{},'finish_reason':'stop'}],'usage':null}",
                        "{'id':'c1','choices':[],'usage':{'prompt_tokens':3,'completion_tokens':1,'total_tokens':4}}")),
                Arguments.of("vLLM ids and logprobs", List.of(
                        "{'id':'v','model':'q','prompt_token_ids':[1,2,3],'choices':[{'index':0,'delta':{'role':'assistant',"
                                + "'content':''},'token_ids':[],'logprobs':null,'finish_reason':null}]}",
                        "{'id':'v','model':'q','prompt_token_ids':[9],'choices':[{'index':0,'delta':{'content':'a'},'token_ids':[7],"
                                + "'logprobs':{'content':[{'token':'a','logprob':-0.5,'bytes':[97],'top_logprobs':[]}]},"
                                + "'finish_reason':null,'stop_reason':null}]}",
                        "{'id':'v','choices':[{'index':0,'delta':{},'token_ids':[8],'finish_reason':'stop','stop_reason':2}]}")),
                Arguments.of("identity first seen late, usage replaced", List.of(
                        "{'id':null,'model':null,'choices':[{'index':1,'delta':{'content':'x'}}],'usage':{'total_tokens':1}}",
                        "{'id':'late','model':'m2','service_tier':'flex','choices':[{'index':0,'delta':{'content':'y'}}]}",
                        "{'choices':[],'usage':{'total_tokens':2}}")),
                Arguments.of("duplicate members: the last one counts", List.of(
                        "{'id':'a','id':'b','choices':[{'index':0,'delta':{'content':'lost'}}],"
                                + "'choices':[{'index':0,'delta':{'content':'kept'}}],'usage':{'n':1},'usage':null}",
                        "{'choices':[{'index':0,'delta':{'content':'!'}}],'choices':{'not':'an array'}}")),
                Arguments.of("odd values and unknown members", List.of(
                        "{'x':{'deep':[1,{'y':[2,3]}]},'choices':[null,{'index':2,'delta':{'tool_calls':[{'index':0,'id':'t',"
                                + "'type':'function','function':{'name':'f','arguments':'{\\\"a\\\"'}}]}}],'z':[[]]}",
                        "{'choices':[{'index':2,'delta':{'tool_calls':[{'index':0,'function':{'arguments':':1}'}}]},"
                                + "'finish_reason':'tool_calls'}],'created':5}",
                        "[1,2]",
                        "\"text\"",
                        "{}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void chatAssemblesTheSameFromBytesAsFromTrees(String name, List<String> chunks) throws Exception {
        assertSame(ChatStreamAssembler::new, chunks, ChatStreamAssembler::feed, ChatStreamAssembler::feed,
                ChatStreamAssembler::result, ChatStreamAssembler::chunkCount);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void completionAssemblesTheSameFromBytesAsFromTrees(String name, List<String> chunks) throws Exception {
        List<String> completions = chunks.stream()
                .map(c -> c.replaceAll("'delta':\\{'content':('[^']*')}", "'text':$1")).toList();
        assertSame(CompletionStreamAssembler::new, completions, CompletionStreamAssembler::feed,
                CompletionStreamAssembler::feed, CompletionStreamAssembler::result, CompletionStreamAssembler::chunkCount);
    }

    @Test
    void aPayloadThatIsNotJsonThrowsAndChangesNothing() {
        ChatStreamAssembler a = new ChatStreamAssembler();
        a.feed(bytes("{'id':'c','choices':[{'index':0,'delta':{'content':'ok'}}]}"));
        JsonNode before = a.result().deepCopy();
        for (String bad : List.of("{'id':'x','choices':[{'index':0,'delta':{'content':'half'}}],'usage':{", "[1,", "nope")) {
            assertThatThrownBy(() -> a.feed(bytes(bad))).isInstanceOf(UncheckedIOException.class);
        }
        assertThat(a.result()).isEqualTo(before);
        assertThat(a.chunkCount()).isEqualTo(1);
    }

    interface BytesFeed<A> {
        void feed(A assembler, byte[] chunk);
    }

    interface TreeFeed<A> {
        void feed(A assembler, JsonNode chunk);
    }

    private static <A> void assertSame(Supplier<A> make, List<String> chunks, BytesFeed<A> bytesFeed,
            TreeFeed<A> treeFeed, java.util.function.Function<A, JsonNode> result,
            java.util.function.ToIntFunction<A> count) throws Exception {
        A fromBytes = make.get();
        A fromTrees = make.get();
        for (String c : chunks) {
            bytesFeed.feed(fromBytes, bytes(c));
            treeFeed.feed(fromTrees, MAPPER.readTree(bytes(c)));
        }
        assertThat(result.apply(fromBytes)).isEqualTo(result.apply(fromTrees));
        assertThat(count.applyAsInt(fromBytes)).isEqualTo(count.applyAsInt(fromTrees));
    }

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
