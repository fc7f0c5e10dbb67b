package io.tracegate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where the repeated pieces of a body are, checked against Jackson's token offsets; refs and joins. */
public class BodyPartsTest {

  private static final JsonFactory JSON = new JsonFactory();

  public static byte[] claudeCodeBody() throws IOException {
    try (InputStream in = BodyPartsTest.class.getResourceAsStream("/fixtures/claude-code-messages-request.json")) {
      return new ObjectMapper().writeValueAsBytes(new ObjectMapper().readTree(in).get("body"));
    }
  }

  /**
   * The reference: each top-level member value, or each element of a top-level array, from Jackson's
   * offsets: a value starts at its first token and ends where the parser stands once it has read all of it.
   */
  static int[] jacksonPieces(byte[] json) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new int[0];
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (p.nextToken() == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            addValue(out, p);
          }
        } else {
          addValue(out, p);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void addValue(List<Integer> out, JsonParser p) throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    int end = (int) p.currentLocation().getByteOffset();
    if (end - start >= BodyParts.MIN_PART_BYTES) {
      out.add(start);
      out.add(end);
    }
  }

  @Test
  void claudeCodeRequestSplitsIntoSystemToolsAndMessages() throws IOException {
    byte[] body = claudeCodeBody();
    int[] ranges = BodyParts.locate(body);
    assertThat(ranges).isNotEmpty();
    long covered = 0;
    ObjectMapper mapper = new ObjectMapper();
    for (int k = 0; k < ranges.length; k += 2) {
      assertThat(ranges[k + 1] - ranges[k]).isGreaterThanOrEqualTo(BodyParts.MIN_PART_BYTES);
      // every piece is one whole JSON value
      mapper.readTree(Arrays.copyOfRange(body, ranges[k], ranges[k + 1]));
      covered += ranges[k + 1] - ranges[k];
    }
    assertThat(covered).isGreaterThan(body.length * 9L / 10);
  }

  @Test
  void findsWhatJacksonFindsInRealBodiesCompactAndIndented() throws IOException {
    byte[] compact = claudeCodeBody();
    ObjectMapper mapper = new ObjectMapper();
    byte[] indented = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(mapper.readTree(compact));
    for (byte[] body : List.of(compact, indented)) {
      assertThat(BodyParts.locate(body)).isEqualTo(jacksonPieces(body));
    }
  }

  @Test
  void findsWhatJacksonFindsInRandomDocuments() throws IOException {
    Random random = new Random(20261122);
    int withPieces = 0;
    for (int n = 0; n < 3000; n++) {
      StringBuilder doc = new StringBuilder();
      object(doc, random, 0);
      byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
      int[] expected = jacksonPieces(body);
      assertThat(BodyParts.locate(body)).as(doc.toString()).isEqualTo(body.length < BodyParts.MIN_PART_BYTES
          ? new int[0] : expected);
      withPieces += expected.length > 0 ? 1 : 0;
    }
    assertThat(withPieces).isGreaterThan(500);
  }

  private static void object(StringBuilder out, Random random, int depth) {
    out.append(ws(random)).append('{');
    int members = random.nextInt(depth == 0 ? 6 : 3);
    for (int m = 0; m < members; m++) {
      if (m > 0) {
        out.append(ws(random)).append(',');
      }
      out.append(ws(random));
      string(out, random, 12);
      out.append(ws(random)).append(':').append(ws(random));
      value(out, random, depth + 1);
    }
    out.append(ws(random)).append('}').append(ws(random));
  }

  private static void value(StringBuilder out, Random random, int depth) {
    switch (depth > 3 ? 2 + random.nextInt(3) : random.nextInt(5)) {
      case 0 -> object(out, random, depth);
      case 1 -> {
        out.append('[');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "").append(ws(random));
          value(out, random, depth + 1);
          out.append(ws(random));
        }
        out.append(']');
      }
      case 2, 3 -> string(out, random, random.nextInt(4) == 0 ? 2500 : 40);
      default -> out.append(List.of("true", "false", "null", "-0", "12.5e-3", "123456789012345678901234567890")
          .get(random.nextInt(6)));
    }
  }

  /** Strings with the bytes a structural scan must not take for structure: quotes, brackets, escapes. */
  private static void string(StringBuilder out, Random random, int maxLength) {
    String[] atoms = {"a", "b", " ", "{", "}", "[", "]", ",", ":", "\\\"", "\\\\", "\\n", "\\u00e9", "\u00e9",
        "\u4e2d", "\ud83d\ude00", "\\\\\\\"", "tracegate_part"};
    out.append('"');
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      out.append(atoms[random.nextInt(atoms.length)]);
    }
    out.append('"');
  }

  private static String ws(Random random) {
    return random.nextInt(4) == 0 ? List.of(" ", "\n  ", "\t", "\r\n").get(random.nextInt(4)) : "";
  }

  @Test
  void aBodyItCannotFollowHasNoPieces() {
    String big = "\"" + "x".repeat(2000) + "\"";
    for (String body : List.of("[" + big + "," + big + "]", big, "{\"a\":" + big, "{\"a\":" + big + " \"b\":1}",
        "{\"a\":[" + big + " " + big + "]}", "{\"a\" " + big + "}", "{\"a\":\"" + "x".repeat(2000),
        "{\"a\":{\"b\":" + big + "}", "{\"a\":,\"b\":" + big + "}", "{a:" + big + "}")) {
      assertThat(BodyParts.locate(body.getBytes(StandardCharsets.UTF_8))).as(body).isEmpty();
    }
    // a valid object whose pieces are all small has none either
    assertThat(BodyParts.locate(("{\"a\":\"" + "x".repeat(900) + "\",\"b\":[1,2]}").getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void aPieceOfExactlyTheMinimumIsTakenOneByteLessIsNot() {
    String atMin = "\"" + "x".repeat(BodyParts.MIN_PART_BYTES - 2) + "\"";
    String under = "\"" + "y".repeat(BodyParts.MIN_PART_BYTES - 3) + "\"";
    String body = "{\"a\":" + atMin + ",\"b\":[" + under + "," + atMin + "]}";
    int a = body.indexOf(atMin);
    int b = body.lastIndexOf(atMin);
    assertThat(BodyParts.locate(body.getBytes(StandardCharsets.UTF_8)))
        .containsExactly(a, a + BodyParts.MIN_PART_BYTES, b, b + BodyParts.MIN_PART_BYTES);
  }

  @Test
  void refsRoundTripAndJoinSplicesByOffsetNotByContent() throws Exception {
    BodyParts.Ref[] refs = {new BodyParts.Ref(0, 22, 1), new BodyParts.Ref(300, 128, 1L << 40),
        new BodyParts.Ref(5, 7, Long.MAX_VALUE)};
    assertThat(BodyParts.decodeRefs(BodyParts.encodeRefs(refs))).containsExactly(refs);
    assertThat(BodyParts.decodeRefs(BodyParts.encodeRefs(new BodyParts.Ref[0]))).isEmpty();

    byte[] p7 = "[\"seven\"]".getBytes(StandardCharsets.UTF_8);
    byte[] p8 = "{\"tracegate_part\":7}".getBytes(StandardCharsets.UTF_8);
    Map<Long, byte[]> parts = new HashMap<>(Map.of(7L, p7, 8L, p8));
    // the stored text holds a literal placeholder that is NOT a ref: it must stay as it is
    String stored = "{\"x\":{\"tracegate_part\":7},\"a\":{\"tracegate_part\":7},\"b\":PP}";
    int first = stored.indexOf("{\"tracegate_part\":7}", 10);
    int second = stored.indexOf("PP");
    byte[] blob = BodyParts.encodeRefs(new BodyParts.Ref[] {
        new BodyParts.Ref(first, 20, 7), new BodyParts.Ref(second - first - 20, 2, 8)});
    byte[] joined = BodyParts.join(stored.getBytes(StandardCharsets.UTF_8), blob, parts::get);
    assertThat(new String(joined, StandardCharsets.UTF_8))
        .isEqualTo("{\"x\":{\"tracegate_part\":7},\"a\":[\"seven\"],\"b\":{\"tracegate_part\":7}}");

    parts.remove(8L);
    assertThatThrownBy(() -> BodyParts.join(stored.getBytes(StandardCharsets.UTF_8), blob, parts::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part 8");
    byte[] past = BodyParts.encodeRefs(new BodyParts.Ref[] {new BodyParts.Ref(stored.length(), 1, 7)});
    assertThatThrownBy(() -> BodyParts.join(stored.getBytes(StandardCharsets.UTF_8), past, parts::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past");
    byte[] overflowing = BodyParts.encodeRefs(new BodyParts.Ref[] {new BodyParts.Ref(1L << 62, 1L << 62, 7)});
    assertThatThrownBy(() -> BodyParts.join(stored.getBytes(StandardCharsets.UTF_8), overflowing, parts::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past");
    assertThatThrownBy(() -> BodyParts.decodeRefs(new byte[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triples");
    assertThatThrownBy(() -> BodyParts.decodeRefs(new byte[] {1, 2, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("varint");
  }
}
