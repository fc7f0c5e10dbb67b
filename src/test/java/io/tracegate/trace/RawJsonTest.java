package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.protocol.json.Utf8JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Odd spacing, an escape that readTree would rewrite, non-ASCII text and an emoji (a surrogate pair). */
  private static final String TEXT = "{ \"a\" :[1, 2.50],\"t\":\"caf\u00e9 \\u00e9 \\n \uD83D\uDE00\"}";
  private static final byte[] BYTES = TEXT.getBytes(StandardCharsets.UTF_8);

  @Test
  void serialisesAsExactlyTheBytesItWasMadeFromToBytesAndToText() throws Exception {
    JsonNode raw = RawJson.of(BYTES.clone());

    assertThat(JSON.writeValueAsBytes(raw)).isEqualTo(BYTES);
    assertThat(JSON.writeValueAsString(raw)).isEqualTo(TEXT);
    // inside a larger document, through both generator kinds
    assertThat(JSON.writeValueAsString(Map.of("body", raw))).isEqualTo("{\"body\":" + TEXT + "}");
    assertThat(new String(JSON.writeValueAsBytes(Map.of("body", raw)), StandardCharsets.UTF_8))
        .isEqualTo("{\"body\":" + TEXT + "}");
  }

  @Test
  void givesItsTextItsBytesAndItsTree() throws Exception {
    byte[] bytes = BYTES.clone();
    JsonNode raw = RawJson.of(bytes);

    assertThat(RawJson.isRaw(raw)).isTrue();
    assertThat(RawJson.rawText(raw)).isEqualTo(TEXT);
    assertThat(RawJson.rawUtf8(raw)).isSameAs(bytes);
    assertThat(RawJson.materialize(raw)).isEqualTo(JSON.readTree(BYTES));
  }

  @Test
  void aParsedTreeIsNotRaw() throws Exception {
    JsonNode tree = JSON.readTree(BYTES);
    assertThat(RawJson.isRaw(tree)).isFalse();
    assertThat(RawJson.rawText(tree)).isNull();
    assertThat(RawJson.rawUtf8(tree)).isNull();
    assertThat(RawJson.materialize(tree)).isSameAs(tree);
  }

  @Test
  void rawNodesOfEqualBytesAreEqual() {
    assertThat(RawJson.of(BYTES.clone())).isEqualTo(RawJson.of(BYTES.clone()))
        .hasSameHashCodeAs(RawJson.of(BYTES.clone()));
    assertThat(RawJson.of(BYTES)).isNotEqualTo(RawJson.of("{}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theQuotedFormsAreThoseOfTheText() {
    Utf8JsonText text = new Utf8JsonText(BYTES);
    com.fasterxml.jackson.core.io.SerializedString same = new com.fasterxml.jackson.core.io.SerializedString(TEXT);
    assertThat(text.asQuotedUTF8()).isEqualTo(same.asQuotedUTF8());
    assertThat(text.asQuotedChars()).isEqualTo(same.asQuotedChars());
    assertThat(text.charLength()).isEqualTo(TEXT.length());
    char[] chars = new char[TEXT.length() + 2];
    assertThat(text.appendUnquoted(chars, 2)).isEqualTo(TEXT.length());
    assertThat(new String(chars, 2, TEXT.length())).isEqualTo(TEXT);
    assertThat(text.appendUnquoted(new char[TEXT.length()], 1)).isEqualTo(-1);
    assertThat(text.appendUnquotedUTF8(new byte[BYTES.length], 1)).isEqualTo(-1);
  }
}
