package io.tracegate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @Test
    void usesCl100kAndCountsTextExactly() {
        TokenEstimator.warmUp();
        assertThat(TokenEstimator.method()).isEqualTo("cl100k_base");
        // "Hello world" is 2 cl100k tokens; one message adds 3
        assertThat(TokenEstimator.estimate(json("{'model':'m','messages':[{'role':'user','content':'Hello world'}]}"))).isEqualTo(5);
        assertThat(TokenEstimator.countTokens(json("{'messages':[{'role':'user','content':[{'type':'text','text':'Hello world'}]}]}")))
                .isEqualTo(json("{'input_tokens':5}"));
    }

    @Test
    void everyPartOfTheRequestCounts() {
        String base = "{'system':[{'type':'text','text':'You are a helpful assistant.'}],'messages':[{'role':'user','content':'What is the weather?'}]";
        int plain = TokenEstimator.estimate(json(base + "}"));
        assertThat(plain).isGreaterThan(TokenEstimator.estimate(json("{'messages':[{'role':'user','content':'What is the weather?'}]}")));

        int withTools = TokenEstimator.estimate(json(base + ",'tools':[{'name':'get_weather','description':'Get the weather',"
                + "'input_schema':{'type':'object','properties':{'city':{'type':'string'}}}}]}"));
        assertThat(withTools - plain).isGreaterThan(TokenEstimator.TOOLS_AUTO);
        int forced = TokenEstimator.estimate(json(base + ",'tools':[{'name':'get_weather','description':'Get the weather',"
                + "'input_schema':{'type':'object','properties':{'city':{'type':'string'}}}}],'tool_choice':{'type':'any'}}"));
        assertThat(withTools - forced).isEqualTo(TokenEstimator.TOOLS_AUTO - TokenEstimator.TOOLS_FORCED);

        int loop = TokenEstimator.estimate(json("{'messages':[{'role':'user','content':'q'},"
                + "{'role':'assistant','content':[{'type':'thinking','thinking':'think think','signature':'s'},"
                + "{'type':'tool_use','id':'t','name':'get_weather','input':{'city':'Paris'}}]},"
                + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'t','content':[{'type':'text','text':'sunny and warm'}]},"
                + "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'AAAA'}},"
                + "{'type':'document','source':{'type':'text','media_type':'text/plain','data':'hello'}}]}]}"));
        assertThat(loop).isGreaterThan(3 * 3 + TokenEstimator.PER_IMAGE + 10);
    }

    @Test
    void oddInputIsZeroOrIgnored() {
        assertThat(TokenEstimator.estimate(null)).isZero();
        assertThat(TokenEstimator.estimate(json("[1]"))).isZero();
        assertThat(TokenEstimator.estimate(json("{'messages':'x','tools':{},'system':5}"))).isZero();
        assertThat(TokenEstimator.estimate(json("{'messages':[{'role':'user','content':'<|endoftext|>'}]}"))).isPositive();
    }
}
