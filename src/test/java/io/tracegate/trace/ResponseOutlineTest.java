package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fact a span takes from a whole answer is the same read from its outline as from its whole tree. */
class ResponseOutlineTest {

  static List<String> bodies() {
    return List.of(
        "{'id':'chatcmpl-1','object':'chat.completion','created':1,'model':'gpt-4o-mini','choices':[{'index':0,"
            + "'message':{'role':'assistant','content':'a long answer \\\\\"quoted\\\\\" with {braces} and [brackets]'},"
            + "'logprobs':null,'finish_reason':'stop'}],'usage':{'prompt_tokens':9,'completion_tokens':3,'total_tokens':12,"
            + "'prompt_tokens_details':{'cached_tokens':4},'completion_tokens_details':{'reasoning_tokens':1}}}",
        "{'id':'v','model':'q','prompt_token_ids':[1,2,3],'choices':[{'index':0,'message':{'content':'x'},'token_ids':[7,8],"
            + "'logprobs':{'content':[{'token':'x','logprob':-0.25,'top_logprobs':[]},{'token':'y','logprob':-1.5}]},"
            + "'finish_reason':'length','stop_reason':null},{'index':1,'finish_reason':'stop'}],'usage':{'prompt_tokens':3}}",
        "{'id':'cmpl','object':'text_completion','choices':[{'index':0,'text':'hi','prompt_token_ids':[5,6],'token_ids':[9],"
            + "'logprobs':{'tokens':['hi'],'token_logprobs':[-0.1],'top_logprobs':null,'text_offset':[0]},'finish_reason':'stop'}]}",
        "{'id':'msg_1','type':'message','role':'assistant','model':'claude-sonnet-4-5','content':[{'type':'text','text':'hello'},"
            + "{'type':'tool_use','id':'t','name':'f','input':{'a':[1,{'b':2}]}}],'stop_reason':'tool_use','stop_sequence':null,"
            + "'usage':{'input_tokens':10,'output_tokens':5,'cache_read_input_tokens':2,'cache_creation_input_tokens':3,"
            + "'cache_creation':{'ephemeral_5m_input_tokens':1,'ephemeral_1h_input_tokens':2}}}",
        "{'id':'a','id':'b','model':null,'choices':[{'finish_reason':'x'}],'choices':[null,7,{'finish_reason':'y',"
            + "'finish_reason':'z','token_ids':'not an array'}],'usage':{'prompt_tokens':1},'usage':null}",
        "{'choices':{'not':'an array'},'prompt_token_ids':null}",
        "{'error':{'message':'rate limited','type':'rate_limit_error'}}",
        "{}",
        "[1,2,3]",
        "42",
        "\"just a string\"",
        "not json at all",
        "{'id':'truncated','choices':[{'message':{'content':'abc",
        "{'id':'x'",
        "{'id':'x'} trailing",
        "{'id':true,'model':false,'stop_reason':1.5,'usage':{'x':1.25,'y':12345678901234},'prompt_token_ids':[2147483648],"
            + "'choices':[{'finish_reason':null,'logprobs':false,'token_ids':-7,'prompt_token_ids':'s'},{'finish_reason':' end '}]}");
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void factsFromTheOutlineEqualFactsFromTheWholeTree(String body) {
    byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    assertThat(facts(ResponseOutline.parse(bytes))).isEqualTo(facts(Recorder.parse(bytes)));
  }

  /** The members the outline keeps are the whole tree's members, node for node (numbers' types included). */
  @ParameterizedTest
  @MethodSource("bodies")
  void keptMembersAreTheWholeTreesMembers(String body) {
    byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    JsonNode whole = Recorder.parse(bytes);
    JsonNode outline = ResponseOutline.parse(bytes);
    if (whole == null || !whole.isObject()) {
      assertThat(outline).isEqualTo(whole);
      return;
    }
    for (String top : List.of("id", "model", "usage", "stop_reason", "prompt_token_ids")) {
      assertThat(outline.get(top)).as(top).isEqualTo(whole.get(top));
    }
    JsonNode choices = whole.get("choices");
    if (choices == null || !choices.isArray()) {
      assertThat(outline.get("choices")).isEqualTo(choices);
      return;
    }
    for (int i = 0; i < choices.size(); i++) {
      JsonNode choice = choices.get(i);
      JsonNode kept = outline.get("choices").get(i);
      if (!choice.isObject()) {
        assertThat(kept).isEqualTo(choice);
        continue;
      }
      for (String member : List.of("finish_reason", "token_ids", "prompt_token_ids", "logprobs")) {
        assertThat(kept.get(member)).as(member).isEqualTo(choice.get(member));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void anEmptyBodyHasNoOutline(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(Objects.toString(ResponseOutline.parse(bytes))).isEqualTo(Objects.toString(Recorder.parse(bytes)));
  }

  /** What {@link Recorder#build} reads from an answer stored as received. */
  private static String facts(JsonNode r) {
    if (r == null || !r.isObject()) {
      return "not an object: " + r + " container=" + (r != null && r.isContainerNode());
    }
    TokenCapture t = TokenCapture.from(r);
    return String.join(" | ",
        String.valueOf(UsageNormalizer.fromOpenAi(r.get("usage"))),
        String.valueOf(UsageNormalizer.fromAnthropic(r.get("usage"))),
        java.util.Arrays.toString(t.promptTokenIds()),
        java.util.Arrays.toString(t.responseTokenIds()),
        java.util.Arrays.toString(t.responseLogprobs()),
        String.valueOf(FinishReasons.of(r)),
        String.valueOf(r.get("id")),
        String.valueOf(r.get("model")));
  }
}
