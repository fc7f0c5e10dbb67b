package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.protocol.translate.SystemPlacement;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic -> OpenAI lane reuses the translation of a system prompt or tools array it has seen byte for
 * byte; what it sends and what it reports as dropped must be exactly what translating the whole request gives.
 */
class AnthropicTranslationReuseTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ObjectNode claudeCode;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = AnthropicTranslationReuseTest.class.getResourceAsStream(
        "/fixtures/claude-code-messages-request.json")) {
      claudeCode = (ObjectNode) MAPPER.readTree(in).get("body");
    }
  }

  /** Translating the whole request, no reuse: the reference. */
  private static Sent reference(byte[] body) throws Exception {
    RawStringTree parsed = RawStringTree.read(body);
    AnthropicToOpenAiRequest.Result r = AnthropicToOpenAiRequest.translate(parsed.tree(), "qwen");
    return new Sent(new String(parsed.write(r.request()), StandardCharsets.UTF_8), r.dropped());
  }

  private static Sent through(AnthropicToOpenAiLane lane, byte[] body) {
    AnthropicToOpenAiLane.Translation t = lane.translate(body, RequestPeek.parse(body), "qwen", SystemPlacement.KEEP);
    return new Sent(new String(t.parsed().write(t.result().request()), StandardCharsets.UTF_8), t.result().dropped());
  }

  private static boolean reused(AnthropicToOpenAiLane lane, byte[] body) {
    AnthropicToOpenAiLane.Translation t = lane.translate(body, RequestPeek.parse(body), "qwen", SystemPlacement.KEEP);
    JsonNode functions = t.result().tools() == null ? null : t.result().tools().functions();
    return functions instanceof POJONode; // the remembered, already written array
  }

  private static boolean systemReused(AnthropicToOpenAiLane lane, byte[] body) {
    AnthropicToOpenAiLane.Translation t = lane.translate(body, RequestPeek.parse(body), "qwen", SystemPlacement.KEEP);
    return t.result().system() != null && t.result().system().message() instanceof POJONode;
  }

  record Sent(String body, List<String> dropped) {}

  private static List<byte[]> variants() throws Exception {
    List<byte[]> out = new ArrayList<>();
    String[] choices = {null, "{\"type\":\"auto\"}", "{\"type\":\"any\",\"disable_parallel_tool_use\":true}",
        "{\"type\":\"tool\",\"name\":\"Bash\"}", "{\"type\":\"tool\",\"name\":\"NoSuchTool\"}", "{\"type\":\"none\"}",
        "\"auto\""};
    for (String choice : choices) {
      ObjectNode body = claudeCode.deepCopy();
      if (choice != null) {
        body.set("tool_choice", MAPPER.readTree(choice));
      }
      out.add(MAPPER.writeValueAsBytes(body));
    }
    // tools the translation drops pieces of: a server tool, cache_control, an unknown field, an invalid entry
    ObjectNode odd = claudeCode.deepCopy();
    ArrayNode tools = (ArrayNode) odd.get("tools");
    tools.addObject().put("type", "web_search_20250305").put("name", "web_search");
    ((ObjectNode) tools.get(0)).putObject("cache_control").put("type", "ephemeral");
    ((ObjectNode) tools.get(1)).put("defer_loading", true);
    tools.add(42);
    odd.set("tool_choice", MAPPER.readTree("{\"type\":\"tool\",\"name\":\"web_search\"}"));
    out.add(MAPPER.writeValueAsBytes(odd));
    // large tools none of which survives; large tools that are not an array
    ObjectNode none = claudeCode.deepCopy();
    ArrayNode servers = none.putArray("tools");
    for (int i = 0; i < 80; i++) {
      servers.addObject().put("type", "bash_20250124").put("name", "bash" + i).put("note", "x".repeat(40));
    }
    none.put("tool_choice", "auto");
    out.add(MAPPER.writeValueAsBytes(none));
    ObjectNode notArray = claudeCode.deepCopy();
    notArray.set("tools", claudeCode.get("tools").get(0).deepCopy());
    ((ObjectNode) notArray.get("tools")).put("description", "y".repeat(5000));
    out.add(MAPPER.writeValueAsBytes(notArray));
    // system prompts: one long string; blocks with an unknown block type; not text at all; nothing left to send
    ObjectNode stringSystem = claudeCode.deepCopy();
    stringSystem.put("system", "caf\u00e9 \"quoted\"\n".repeat(600));
    out.add(MAPPER.writeValueAsBytes(stringSystem));
    ObjectNode oddSystem = claudeCode.deepCopy();
    ((ArrayNode) oddSystem.get("system")).addObject().put("type", "image").put("data", "z".repeat(100));
    out.add(MAPPER.writeValueAsBytes(oddSystem));
    ObjectNode objectSystem = claudeCode.deepCopy();
    objectSystem.putObject("system").put("text", "w".repeat(5000));
    out.add(MAPPER.writeValueAsBytes(objectSystem));
    ObjectNode emptySystem = claudeCode.deepCopy();
    ArrayNode blanks = emptySystem.putArray("system");
    for (int i = 0; i < 200; i++) {
      blanks.addObject().put("type", "text").put("text", "").putObject("cache_control").put("type", "ephemeral");
    }
    out.add(MAPPER.writeValueAsBytes(emptySystem));
    // pretty-printed, so the tools array is surrounded by whitespace
    out.add(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(claudeCode));
    return out;
  }

  @Test
  void aRepeatedToolsArrayIsReusedAndTheUpstreamBodyIsTheSameBytes() throws Exception {
    for (byte[] body : variants()) {
      AnthropicToOpenAiLane lane = new AnthropicToOpenAiLane();
      Sent expected = reference(body);
      assertThat(through(lane, body)).isEqualTo(expected); // first time: translated and remembered
      assertThat(through(lane, body)).isEqualTo(expected); // then: reused
      assertThat(reused(lane, body)).isEqualTo(((ObjectNode) MAPPER.readTree(body)).get("tools").isArray()
          && expected.body().contains("\"tools\":"));
      assertThat(systemReused(lane, body)).isEqualTo(expected.body().contains("\"role\":\"system\""));
    }
  }

  @Test
  void otherRequestsWithTheSameToolsReuseThemAndOtherToolsDoNot() throws Exception {
    AnthropicToOpenAiLane lane = new AnthropicToOpenAiLane();
    byte[] first = MAPPER.writeValueAsBytes(claudeCode);
    through(lane, first);

    ObjectNode nextTurn = claudeCode.deepCopy();
    ((ArrayNode) nextTurn.get("messages")).addObject().put("role", "assistant").put("content", "done");
    nextTurn.set("tool_choice", MAPPER.readTree("{\"type\":\"tool\",\"name\":\"Read\"}"));
    byte[] next = MAPPER.writeValueAsBytes(nextTurn);
    assertThat(reused(lane, next)).isTrue();
    assertThat(through(lane, next)).isEqualTo(reference(next));

    assertThat(systemReused(lane, next)).isTrue();

    ObjectNode otherTools = claudeCode.deepCopy();
    ((ObjectNode) otherTools.get("tools").get(0)).put("description", "changed");
    byte[] other = MAPPER.writeValueAsBytes(otherTools);
    assertThat(reused(lane, other)).isFalse();
    assertThat(systemReused(lane, other)).isTrue();
    assertThat(through(lane, other)).isEqualTo(reference(other));

    ObjectNode otherSystem = claudeCode.deepCopy();
    ((ObjectNode) otherSystem.get("system").get(2)).put("text", "another prompt " + "v".repeat(5000));
    byte[] another = MAPPER.writeValueAsBytes(otherSystem);
    assertThat(systemReused(lane, another)).isFalse();
    assertThat(reused(lane, another)).isTrue();
    assertThat(through(lane, another)).isEqualTo(reference(another));
  }

  @Test
  void smallOrRepeatedMembersAreAlwaysTranslated() throws Exception {
    AnthropicToOpenAiLane lane = new AnthropicToOpenAiLane();
    byte[] small = ("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}]}").getBytes(StandardCharsets.UTF_8);
    through(lane, small);
    assertThat(reused(lane, small)).isFalse();
    assertThat(through(lane, small)).isEqualTo(reference(small));

    // two "tools" members: the last one counts, as when parsing the whole body
    String tools = MAPPER.writeValueAsString(claudeCode.get("tools"));
    byte[] twice = ("{\"model\":\"m\",\"max_tokens\":5,\"tools\":" + tools + ",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"tools\":[]}").getBytes(StandardCharsets.UTF_8);
    through(lane, twice);
    assertThat(reused(lane, twice)).isFalse();
    assertThat(through(lane, twice)).isEqualTo(reference(twice));
  }
}
