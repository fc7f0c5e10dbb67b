package io.tracegate.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RawStringTreeTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<byte[]> documents() throws IOException {
    String long1 = "x".repeat(300);
    String escapes = "line\\nbreak \\\"quoted\\\" back\\\\slash tab\\t \\u00e9 \\ud83d\\ude00 slash\\/ é 😀 ".repeat(12);
    return Stream.of(
        claudeCodeBody(),
        bytes("{'a':'" + long1 + "','b':['" + escapes + "',1,-2.5e3,12345678901234,123456789012345678901234567890,"
            + "true,false,null,{'c':'" + escapes + "'}],'d':'short'}"),
        bytes("{'dup':'" + long1 + "','dup':'" + escapes + "','n':{'dup':1,'dup':'" + long1 + "'}}"),
        bytes("['" + escapes + "']"),
        bytes("'" + long1 + "'"),
        bytes("{}"),
        bytes("  {'a' : [ ] , 'b' : { } }  "));
  }

  @ParameterizedTest
  @MethodSource("documents")
  void readsTheTreeReadTreeReads(byte[] json) throws Exception {
    JsonNode expected = MAPPER.readTree(json);
    JsonNode tree = RawStringTree.read(json).tree();
    assertThat(tree).isEqualTo(expected);
    assertThat(expected).isEqualTo(tree);
    assertThat(tree.toString()).isEqualTo(expected.toString());
  }

  @ParameterizedTest
  @MethodSource("documents")
  void writesJsonThatReadsBackToTheSameTree(byte[] json) throws Exception {
    RawStringTree doc = RawStringTree.read(json);
    byte[] written = doc.write(doc.tree());
    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(json));
    // the source was written by Jackson: its escapes are Jackson's, so the copy is byte for byte the same
    byte[] canonical = MAPPER.writeValueAsBytes(MAPPER.readTree(json));
    RawStringTree fromCanonical = RawStringTree.read(canonical);
    assertThat(fromCanonical.write(fromCanonical.tree())).isEqualTo(canonical);
  }

  @Test
  void longStringsAreCopiedAsSentWhereverTheyAreMoved() throws Exception {
    String long1 = "y".repeat(RawStringTree.RAW_MIN_BYTES);
    String short1 = "y".repeat(RawStringTree.RAW_MIN_BYTES - 7); // 255 bytes with its 6-byte escape
    RawStringTree doc = RawStringTree.read(bytes("{'long':'" + long1 + "\\u0041','short':'" + short1
        + "\\u0041'}"));
    assertThat(doc.tree().get("long").asText()).isEqualTo(long1 + "A");
    ObjectNode moved = MAPPER.createObjectNode();
    moved.putArray("a").add(doc.tree().get("long")).add(doc.tree().get("short")).add(long1 + "A");
    assertThat(new String(doc.write(moved), StandardCharsets.UTF_8)).isEqualTo(
        "{\"a\":[\"" + long1 + "\\u0041\",\"" + short1 + "A\",\"" + long1 + "A\"]}");
  }

  @Test
  void joinedStringsCopyTheirLongPartsAsSentAndEscapeTheRest() throws Exception {
    String long1 = "p".repeat(RawStringTree.RAW_MIN_BYTES);
    RawStringTree doc = RawStringTree.read(bytes("{'a':'" + long1 + "\\u0041','b':'" + long1 + "\\/','c':'tiny'}"));
    JsonNode a = doc.tree().get("a");
    JsonNode b = doc.tree().get("b");
    TextNode c = (TextNode) doc.tree().get("c");
    TextNode inner = JoinedTextNode.of(List.of((TextNode) b, TextNode.valueOf("new \"é\"")), "\n");
    TextNode joined = JoinedTextNode.of(List.of((TextNode) a, c, inner), "\n\n");
    String text = long1 + "A\n\ntiny\n\n" + long1 + "/\nnew \"é\"";
    assertThat(joined).isEqualTo(TextNode.valueOf(text)).isInstanceOf(JoinedTextNode.class);
    assertThat(TextNode.valueOf(text)).isEqualTo(joined);

    ObjectNode moved = MAPPER.createObjectNode();
    moved.set("j", joined);
    byte[] written = doc.write(moved);
    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo("{\"j\":\"" + long1 + "\\u0041\\n\\ntiny\\n\\n"
        + long1 + "\\/\\nnew \\\"é\\\"\"}");
    assertThat(MAPPER.readTree(written).get("j").textValue()).isEqualTo(text);
    // without a source (another tree's writer, or the mapper) it is an ordinary string
    assertThat(MAPPER.writeValueAsString(moved)).isEqualTo(MAPPER.writeValueAsString(
        MAPPER.createObjectNode().put("j", text)));
    assertThat(RawStringTree.read(bytes("{}")).write(moved)).isEqualTo(MAPPER.writeValueAsBytes(moved));
  }

  @Test
  void joiningOneOrNoPartsNeedsNoNewNode() {
    TextNode only = TextNode.valueOf("x");
    assertThat(JoinedTextNode.of(List.of(only), "\n")).isSameAs(only);
    assertThat(JoinedTextNode.of(List.of(), "\n")).isEqualTo(TextNode.valueOf(""));
    assertThat(JoinedTextNode.text(only, "")).isSameAs(only);
    assertThat(JoinedTextNode.text(null, "")).isEqualTo(TextNode.valueOf(""));
    assertThat(JoinedTextNode.text(MAPPER.getNodeFactory().numberNode(12), "")).isEqualTo(TextNode.valueOf("12"));
    assertThat(JoinedTextNode.text(MAPPER.getNodeFactory().nullNode(), "d")).isEqualTo(TextNode.valueOf("d"));
    assertThat(JoinedTextNode.text(MAPPER.missingNode(), "d")).isEqualTo(TextNode.valueOf("d"));
  }

  @Test
  void aTreeWithoutItsLongStringsIsWrittenAsTheMapperWritesIt() throws Exception {
    RawStringTree doc = RawStringTree.read(claudeCodeBody());
    ObjectNode other = MAPPER.createObjectNode().put("n", 1.5e300).put("i", 12345678901234L).putNull("z");
    other.put("s", "é\n\"").putArray("b").add(true).add(MAPPER.createObjectNode());
    assertThat(doc.write(other)).isEqualTo(MAPPER.writeValueAsBytes(other));
  }

  @Test
  void invalidJsonIsRefused() throws Exception {
    String bad = "{\"a\":\"" + "z".repeat(300) + "\u0001\"}";
    assertThatThrownBy(() -> RawStringTree.read(bad.getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> RawStringTree.read(bytes("{'a':'" + "z".repeat(300)))).isInstanceOf(IOException.class);
    assertThat(RawStringTree.read(new byte[0]).tree().isMissingNode()).isTrue();
  }

  private static byte[] claudeCodeBody() throws IOException {
    try (InputStream in = RawStringTreeTest.class.getResourceAsStream("/fixtures/claude-code-messages-request.json")) {
      return MAPPER.writeValueAsBytes(MAPPER.readTree(in).get("body"));
    }
  }

  private static byte[] bytes(String json) {
    return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }
}
