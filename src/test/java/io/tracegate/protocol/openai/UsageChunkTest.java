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
}
