package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageChunkTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'id':'x','choices':[],'usage':{'total_tokens':3}}|true",
        "{'usage':{'total_tokens':3},'choices':[ ]}|true",
        "{'id':'x','usage':{'total_tokens':3}}|true",
        "{'id':'x','choices':null,'usage':{}}|true",
        "{'id':'x','choices':[{'index':0}],'usage':{'total_tokens':3}}|false",
        "{'id':'x','choices':[],'usage':null}|false",
        "{'id':'x','choices':[]}|false",
        "{'id':'x','choices':[{'delta':{'content':'[]'}}],'usage':null}|false",
        "{'nested':{'choices':[],'usage':{}},'choices':[{}]}|false",
        "{'choices':[],'usage':{'a':1}|false",
        "[]|false",
        "not json|false",
    })
    void recognisesUsageOnlyChunks(String json, boolean expected) throws Exception {
        String text = json.replace('\'', '"');
        assertThat(UsageChunk.isUsageOnly(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        assertThat(UsageChunk.isUsageOnly(padded, 2, padded.length - 4)).isEqualTo(expected);
        if (!text.equals("not json") && !text.endsWith("1}")) {
            assertThat(UsageChunk.isUsageOnly(new ObjectMapper().readTree(text))).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1,'model':'m','system_fingerprint':'fp','choices':[{'index':0,'delta':{'content':'hi'},'logprobs':null,'finish_reason':null}]}",
        "{'id':'c','choices':[{'index':0,'delta':{}}],'usage':null}",
        "{ \"id\" : \"c\" , \"choices\" : [ {} ] }",
        "{'id':'c','model':'m','choices':[],'usage':null}",
        "{'usage':{'total_tokens':1},'choices':[{'index':0}]}",
    })
    void regularChunksAreAnsweredWithoutTheParser(String json) {
        byte[] b = json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        assertThat(UsageChunk.quickAnswer(b, 0, b.length)).isEqualTo(UsageChunk.NO);
        assertThat(UsageChunk.parse(b, 0, b.length)).isFalse();
    }

    /** The scan may only say "no" where the parser says no: random chunks, whole, cut short and corrupted. */
    @org.junit.jupiter.api.Test
    void theQuickScanNeverContradictsTheParser() {
        String[] members = {
            "'id':'x'", "'choices':[]", "'choices':[ ]", "'choices':null", "'choices':[{'index':0}]", "'choices':{}",
            "'choices':'s'", "'usage':{'total_tokens':3}", "'usage':null", "'usage':{}", "'usage':[1]",
            "'n':{'choices':[],'usage':{}}", "'a':[1,{'b':'}]\\\\'},2]", "'e':'q\\'uote'", "'t':true", "'f':-1.5e3",
            "'u\\u0073age':{'x':1}", "'x':[[[]]]", "'s':'{\\\\'", "'w' : null"};
        java.util.Random random = new java.util.Random(7);
        int fastNo = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder("{");
            int count = random.nextInt(5);
            for (int k = 0; k < count; k++) {
                sb.append(k == 0 ? "" : random.nextInt(8) == 0 ? " , " : ",").append(members[random.nextInt(members.length)]);
            }
            String text = sb.append(random.nextInt(10) == 0 ? "" : "}").toString().replace('\'', '"');
            if (random.nextInt(4) == 0 && text.length() > 1) {
                int cut = random.nextInt(text.length());
                text = random.nextBoolean() ? text.substring(0, cut)
                    : text.substring(0, cut) + "\",:{}[] x".charAt(random.nextInt(9)) + text.substring(cut + 1);
            }
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            boolean parsed = UsageChunk.parse(b, 0, b.length);
            int quick = UsageChunk.quickAnswer(b, 0, b.length);
            if (quick == UsageChunk.NO) {
                fastNo++;
                assertThat(parsed).as(text).isFalse();
            }
            assertThat(UsageChunk.isUsageOnly(b)).as(text).isEqualTo(parsed);
        }
        assertThat(fastNo).as("chunks settled by the scan alone").isGreaterThan(5_000);
    }
}
