package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte state machine behind a cut body's facts, fed in pieces of every size. */
class TopLevelFactsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode facts(String body, int piece) throws Exception {
    TopLevelFacts f = new TopLevelFacts();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += piece) {
      f.feed(b, i, Math.min(piece, b.length - i));
    }
    byte[] json = f.json();
    return json == null ? null : JSON.readTree(json);
  }

  @Test
  void keepsTopLevelFactsWhereverTheyAreAndSkipsLookalikesInStringsAndNestedObjects() throws Exception {
    String body = "{ \"id\" : \"x\\\"}{,\", \"choices\":[{\"usage\":\"nested, not kept\",\"text\":\"\\\\\"}],"
        + "\"note\":\"\\\"usage\\\":{}\", \"model\":\"m\",\n\"usage\":{\"prompt_tokens\":1,\"d\":[1,{\"a\":null}]},"
        + "\"stop_reason\":null,\"prompt_token_ids\":[1,2,3]}";
    for (int piece : new int[] {1, 2, 3, 7, 64, body.length()}) {
      JsonNode f = facts(body, piece);
      assertThat(f.path("id").asText()).as("piece %d", piece).isEqualTo("x\"}{,");
      assertThat(f.path("model").asText()).isEqualTo("m");
      assertThat(f.path("usage")).isEqualTo(JSON.readTree("{\"prompt_tokens\":1,\"d\":[1,{\"a\":null}]}"));
      assertThat(f.path("stop_reason").isNull()).isTrue();
      assertThat(f.path("prompt_token_ids").size()).isEqualTo(3);
      assertThat(f.has("choices")).isFalse();
      assertThat(f.has("note")).isFalse();
    }
  }

  @Test
  void aBodyThatIsNotAnObjectHasNoFactsAndAnOversizedMemberIsSkipped() throws Exception {
    assertThat(facts("[{\"usage\":1}]", 4)).isNull();
    assertThat(facts("\"text\"", 4)).isNull();
    String huge = "{\"id\":\"" + "a".repeat(TopLevelFacts.MAX_MEMBER_BYTES + 10) + "\",\"usage\":{\"x\":2}}";
    JsonNode f = facts(huge, 8192);
    assertThat(f.has("id")).isFalse();
    assertThat(f.path("usage").path("x").asInt()).isEqualTo(2);
  }

  @Test
  void cappedBodyKeepsTheHeadAndFactsOnlyWhenOverTheCap() {
    byte[] small = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    CappedBody whole = CappedBody.of(small, 64);
    assertThat(whole.truncated()).isFalse();
    assertThat(whole.head()).isEqualTo(small);
    assertThat(whole.factsJson()).isNull();

    CappedBody cut = new CappedBody(8);
    byte[] body = "{\"id\":\"abcdef\",\"usage\":{\"n\":1}}".getBytes(StandardCharsets.UTF_8);
    cut.append(body, 0, 5);
    cut.append(body, 5, body.length - 5);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.size()).isEqualTo(body.length);
    assertThat(new String(cut.head(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"a");
    assertThat(new String(cut.factsJson(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"abcdef\",\"usage\":{\"n\":1}}");
  }
}
