package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompletionStreamAssemblerTest {

    @Test
    void concatenatesTextLogprobsAndTokenIds() throws Exception {
        CompletionStreamAssembler a = new CompletionStreamAssembler();
        String[] chunks = {
            "{'id':'cmpl-1','object':'text_completion','created':7,'model':'m','choices':[{'index':0,'text':' Hi','logprobs':"
                    + "{'tokens':[' Hi'],'token_logprobs':[-0.5],'top_logprobs':[{' Hi':-0.5}],'text_offset':[0]},"
                    + "'finish_reason':null,'token_ids':[5],'prompt_token_ids':[1,2]}],'usage':null}",
            "{'id':'cmpl-1','object':'text_completion','created':7,'model':'m','choices':[{'index':0,'text':'!','logprobs':"
                    + "{'tokens':['!'],'token_logprobs':[-0.25],'top_logprobs':[{'!':-0.25}],'text_offset':[3]},"
                    + "'finish_reason':'length','stop_reason':null,'token_ids':[6]}],'usage':null}",
            "{'id':'cmpl-1','object':'text_completion','created':7,'model':'m','choices':[],"
                    + "'usage':{'prompt_tokens':2,'completion_tokens':2,'total_tokens':4}}",
        };
        for (String c : chunks) {
            a.feed(c.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        }
        String expected = "{'id':'cmpl-1','object':'text_completion','created':7,'model':'m','choices':[{'index':0,'text':' Hi!',"
                + "'logprobs':{'tokens':[' Hi','!'],'token_logprobs':[-0.5,-0.25],'top_logprobs':[{' Hi':-0.5},{'!':-0.25}],'text_offset':[0,3]},"
                + "'finish_reason':'length','token_ids':[5,6],'prompt_token_ids':[1,2]}],"
                + "'usage':{'prompt_tokens':2,'completion_tokens':2,'total_tokens':4}}";
        assertThat(a.result()).isEqualTo(new ObjectMapper().readTree(expected.replace('\'', '"')));
        assertThat(a.chunkCount()).isEqualTo(3);
    }

    @Test
    void noLogprobsGivesNull() {
        CompletionStreamAssembler a = new CompletionStreamAssembler();
        a.feed("{\"id\":\"x\",\"choices\":[{\"index\":0,\"text\":\"a\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(a.result().at("/choices/0/logprobs").isNull()).isTrue();
        assertThat(a.result().at("/choices/0/text").asText()).isEqualTo("a");
        assertThat(a.result().has("usage")).isFalse();
    }
}
