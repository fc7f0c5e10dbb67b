package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path of {@link RequestPeek#parse} against the Jackson reading it stands in for: whatever the
 * scanner accepts, Jackson accepts and reads the same peek from; what it is unsure of it leaves to Jackson.
 */
class RequestScannerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = RequestScannerTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    }
  }

  private static List<byte[]> realBodies() throws IOException {
    JsonNode cc = MAPPER.readTree(resource("/fixtures/claude-code-messages-request.json")).get("body");
    return List.of(resource("/bench/chat.json"), resource("/bench/chat-stream.json"),
        resource("/bench/messages-stream.json"), MAPPER.writeValueAsBytes(cc),
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(cc));
  }

  @Test
  void readsRealRequestsItselfAndAsJacksonDoes() throws IOException {
    for (byte[] body : realBodies()) {
      RequestPeek scanned = RequestScanner.scan(body);
      assertThat(scanned).as("scanner must take real requests, not hand them all to Jackson").isNotNull();
      assertThat(scanned).isEqualTo(RequestPeek.parseWithJackson(body));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", " \n{ }\t\r\n",
      "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"x\":[1,{\"include_usage\":false}],\"include_usage\":true}}",
      "{\"model\":42,\"stream\":\"yes\",\"stream_options\":null}",
      "{\"model\":null,\"stream\":null,\"stream_options\":[]}",
      "{\"stream\":false,\"stream_options\":{\"include_usage\":true,\"include_usage\":false}}",
      "{\"stream_options\":{},\"stream\":{\"a\":true}}",
      "{\"model\":\"a\",\"model\":\"b\",\"stream\":true,\"stream\":false}",
      "{ \"model\" :\t\"m}\" ,\r\n  \"n\":  -1.5e3 ,\"o\":{\"a\":[1,2,{}]}  ,\"t\":true,\"nul\":null,\"arr\":[ ],\"s\":\"\\u00e9{,}\"\n}",
      "{\"n\":[0,-0,0.5,-12.25e-3,1E+9,7e07,123456789012345678901234567890]}",
      "{\"s\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uD83D\\ude42 \\ud800 done\"}",
      "{\"u\":\"é 漢字 🙂 \u007f \uFFFD\",\"k\":{\"nested\":{\"deeper\":[[[[\"x\"]]]]}}}",
      "{\"long\":\"0123456789abcdef0123456789abcdef0123456789abcdef\\n0123456789abcdef\\\"0123456789\"}"})
  void agreesWithJacksonOnValidBodies(String json) {
    byte[] body = b(json);
    RequestPeek scanned = RequestScanner.scan(body);
    assertThat(scanned).isNotNull();
    assertThat(scanned).isEqualTo(RequestPeek.parseWithJackson(body));
    assertThat(RequestPeek.parse(body)).isEqualTo(scanned);
  }

  /** Valid JSON the scanner is not sure of: Jackson reads it, through {@link RequestPeek#parse} as before. */
  @ParameterizedTest
  @ValueSource(strings = {
      "\uFEFF{\"model\":\"m\"}", // byte-order mark
      "{\"mod\\u0065l\":\"m\"}", // escaped top-level key
      "{\"model\":\"é\"}", // non-ASCII model
      "{\"model\":\"a\\\"b\"}", // escaped model
      "{\"x\":{\"k\\n\":1}}", // escaped nested key
      "{\"x\":{\"ключ\":1}}", // non-ASCII nested key
      "{\"n\":1" + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          + "}"}) // a 101-digit number
  void leavesWhatItIsUnsureOfToJackson(String json) {
    byte[] body = b(json);
    assertThat(RequestScanner.scan(body)).isNull();
    assertThat(RequestPeek.parse(body)).isEqualTo(RequestPeek.parseWithJackson(body));
  }

  @Test
  void leavesDeepNestingToJackson() {
    String deep = "[".repeat(RequestScanner.MAX_DEPTH) + "]".repeat(RequestScanner.MAX_DEPTH);
    String tooDeep = "[".repeat(RequestScanner.MAX_DEPTH + 1) + "]".repeat(RequestScanner.MAX_DEPTH + 1);
    assertThat(RequestScanner.scan(b("{\"x\":" + deep + "}"))).isNotNull();
    byte[] body = b("{\"x\":" + tooDeep + "}");
    assertThat(RequestScanner.scan(body)).isNull();
    assertThat(RequestPeek.parse(body).members()).hasSize(1);
  }

  @Test
  void leavesVeryLongStringsAndNamesToJackson() {
    String longest = "x".repeat(RequestScanner.MAX_STRING_BYTES);
    assertThat(RequestScanner.scan(b("{\"s\":\"" + longest + "\"}"))).isNotNull();
    byte[] tooLong = b("{\"s\":\"" + longest + "x\"}");
    assertThat(RequestScanner.scan(tooLong)).isNull();
    assertThat(RequestPeek.parse(tooLong).members()).hasSize(1);
    String longName = "m".repeat(RequestScanner.MAX_NAME_BYTES);
    assertThat(RequestScanner.scan(b("{\"model\":\"" + longName + "\"}")).model()).isEqualTo(longName);
    byte[] tooLongName = b("{\"model\":\"" + longName + "m\"}");
    assertThat(RequestScanner.scan(tooLongName)).isNull();
    assertThat(RequestPeek.parse(tooLongName).model()).hasSize(RequestScanner.MAX_NAME_BYTES + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "[1,2]", "\"str\"", "42", "null", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x",
      "{\"a\":1}{}", "{\"a\" 1}", "{\"a\":tru}", "{\"a\":truex}", "{'a':1}", "{\"a\":1,}", "{\"a\":[1,2}",
      "{\"a\":[1,]}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":-}", "{\"a\":1e}",
      "{\"a\":NaN}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"open}",
      "{\"a\":1 /* c */}", "{\"a\":[1 2]}", "{\"a\":{\"b\":1 \"c\":2}}", "{\"a\":{\"b\"}}", "{,\"a\":1}"})
  void rejectsWhatJacksonRejects(String json) {
    byte[] body = b(json);
    assertThat(RequestScanner.scan(body)).isNull();
    assertThatThrownBy(() -> RequestPeek.parse(body)).isInstanceOf(MalformedRequestException.class);
  }

  @Test
  void acceptsOnlyWellFormedUtf8() {
    byte[][] malformed = {
        {(byte) 0xC0, (byte) 0x80}, // overlong
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0x80}, // a continuation byte on its own
        {(byte) 0xC3}, // cut short by the closing quote
        {(byte) 0xE6, (byte) 0xBC}};
    for (byte[] bad : malformed) {
      assertThat(RequestScanner.scan(withString(bad))).isNull();
    }
    byte[][] wellFormed = {
        {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE6, (byte) 0xBC, (byte) 0xA2},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x99, (byte) 0x82}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}};
    for (byte[] good : wellFormed) {
      byte[] body = withString(good);
      assertThat(RequestScanner.scan(body)).isNotNull().isEqualTo(RequestPeek.parseWithJackson(body));
    }
  }

  /** {"model":"m","s":"<16 ASCII bytes><bytes><16 ASCII bytes>"}: the bytes land mid-word and at a word's end. */
  private static byte[] withString(byte[] bytes) {
    byte[] head = b("{\"model\":\"m\",\"s\":\"abcdefghijklmnop");
    byte[] tail = b("abcdefghijklmnop\"}");
    byte[] out = new byte[head.length + bytes.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bytes, 0, out, head.length, bytes.length);
    System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
    return out;
  }

  /**
   * Random damage to real requests (bytes replaced, inserted, deleted; JSON's special bytes favoured): every
   * mutant the scanner accepts, Jackson accepts with the same reading; the rest still parse or fail as before.
   */
  @Test
  void mutantsTheScannerAcceptsJacksonReadsTheSame() throws IOException {
    byte[] special = b("\"\\{}[],: \n\t0-.eE+tfnu\u0001");
    byte[] high = {(byte) 0x80, (byte) 0xBF, (byte) 0xC3, (byte) 0xE6, (byte) 0xED, (byte) 0xF0, (byte) 0xFF};
    Random random = new Random(20261122);
    List<byte[]> seeds = new ArrayList<>(realBodies().subList(0, 3));
    seeds.add(b("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"x\":[1,-2.5e3,null,false,"
        + "{\"k\":\"v\\n\\u00e9\"}],\"s\":\"éé 🙂\"}"));
    int accepted = 0;
    int rejected = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] seed = seeds.get(round % seeds.size());
      byte[] mutant = mutate(seed, random, special, high);
      RequestPeek scanned = RequestScanner.scan(mutant);
      RequestPeek reference;
      try {
        reference = RequestPeek.parseWithJackson(mutant);
      } catch (MalformedRequestException e) {
        assertThat(scanned).as("scanner accepted what Jackson rejects: %s", new String(mutant, StandardCharsets.UTF_8))
            .isNull();
        rejected++;
        continue;
      }
      if (scanned != null) {
        assertThat(scanned).as(new String(mutant, StandardCharsets.UTF_8)).isEqualTo(reference);
        accepted++;
      }
    }
    assertThat(accepted).as("mutants both accept").isGreaterThan(2_000);
    assertThat(rejected).as("mutants both reject").isGreaterThan(2_000);
  }

  private static byte[] mutate(byte[] seed, Random random, byte[] special, byte[] high) {
    byte[] out = seed.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(out.length);
      byte value = random.nextInt(4) == 0 ? high[random.nextInt(high.length)] : special[random.nextInt(special.length)];
      switch (random.nextInt(3)) {
        case 0 -> out[at] = value;
        case 1 -> {
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = value;
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
        default -> {
          if (out.length > 2) {
            byte[] shorter = new byte[out.length - 1];
            System.arraycopy(out, 0, shorter, 0, at);
            System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
            out = shorter;
          }
        }
      }
    }
    return out;
  }

  /** Random valid documents, written compact and pretty: the scanner reads them all, as Jackson does. */
  @Test
  void randomValidDocumentsReadAsJacksonReadsThem() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      if (random.nextBoolean()) {
        doc.put("model", "model-" + random.nextInt(100));
      }
      if (random.nextBoolean()) {
        doc.put("stream", random.nextBoolean());
      }
      if (random.nextBoolean()) {
        doc.putObject("stream_options").put("include_usage", random.nextBoolean());
      }
      for (int k = random.nextInt(5); k > 0; k--) {
        doc.set("k" + random.nextInt(20), randomValue(random, 0));
      }
      for (byte[] body : List.of(MAPPER.writeValueAsBytes(doc),
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc))) {
        RequestPeek scanned = RequestScanner.scan(body);
        assertThat(scanned).as(new String(body, StandardCharsets.UTF_8)).isNotNull()
            .isEqualTo(RequestPeek.parseWithJackson(body));
      }
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (depth > 4 ? random.nextInt(5) : random.nextInt(7)) {
      case 0 -> {
        return f.numberNode(random.nextLong() >> random.nextInt(64));
      }
      case 1 -> {
        return f.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
      }
      case 2 -> {
        return random.nextBoolean() ? f.booleanNode(random.nextBoolean()) : f.nullNode();
      }
      case 3, 4 -> {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(40); n > 0; n--) {
          int kind = random.nextInt(10);
          s.appendCodePoint(kind < 6 ? 0x20 + random.nextInt(0x5F) : kind < 7 ? random.nextInt(0x20)
              : kind < 8 ? 0x80 + random.nextInt(0x780) : kind < 9 ? 0x800 + random.nextInt(0xD000)
              : 0x10000 + random.nextInt(0xFFFFF));
        }
        return f.textNode(s.toString());
      }
      case 5 -> {
        ArrayNode a = f.arrayNode();
        for (int n = random.nextInt(4); n > 0; n--) {
          a.add(randomValue(random, depth + 1));
        }
        return a;
      }
      default -> {
        ObjectNode o = f.objectNode();
        for (int n = random.nextInt(4); n > 0; n--) {
          o.set("key_" + random.nextInt(50), randomValue(random, depth + 1));
        }
        return o;
      }
    }
  }
}
