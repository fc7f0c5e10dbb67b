package io.tracegate.protocol.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text kept as UTF-8 bytes (a body as it arrived, a translated piece written once), for raw value
 * nodes: a UTF-8 generator (API output) and the span store take the bytes as they are; the {@code String} is only made when something asks for text. The
 * "quoted" forms (the text as the content of a JSON string) are never used for a raw value; they are
 * correct but unoptimised. The bytes must not change.
 */
public final class Utf8JsonText implements SerializableString {

  private final byte[] utf8;
  private String text;
  private SerializedString quoted;

  public Utf8JsonText(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** A tree node that serialises as exactly {@code validJson} (a raw value over these bytes, not a copy). */
  public static JsonNode node(byte[] validJson) {
    return JsonNodeFactory.instance.rawValueNode(new RawValue(new Utf8JsonText(validJson)));
  }

  /** The bytes themselves, not a copy. */
  public byte[] utf8() {
    return utf8;
  }

  @Override
  public String getValue() {
    String t = text;
    if (t == null) {
      t = new String(utf8, StandardCharsets.UTF_8);
      text = t; // racy but idempotent: every thread computes the same immutable String
    }
    return t;
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return utf8;
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (utf8.length > buffer.length - offset) {
      return -1;
    }
    System.arraycopy(utf8, 0, buffer, offset, utf8.length);
    return utf8.length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    String t = getValue();
    if (t.length() > buffer.length - offset) {
      return -1;
    }
    t.getChars(0, t.length(), buffer, offset);
    return t.length();
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(utf8);
    return utf8.length;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (utf8.length > buffer.remaining()) {
      return -1;
    }
    buffer.put(utf8);
    return utf8.length;
  }

  @Override
  public char[] asQuotedChars() {
    return quoted().asQuotedChars();
  }

  @Override
  public byte[] asQuotedUTF8() {
    return quoted().asQuotedUTF8();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    return quoted().appendQuotedUTF8(buffer, offset);
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    return quoted().appendQuoted(buffer, offset);
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) throws IOException {
    return quoted().writeQuotedUTF8(out);
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
    return quoted().putQuotedUTF8(buffer);
  }

  private SerializedString quoted() {
    SerializedString q = quoted;
    if (q == null) {
      q = new SerializedString(getValue());
      quoted = q;
    }
    return q;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Utf8JsonText other && Arrays.equals(utf8, other.utf8);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(utf8);
  }

  @Override
  public String toString() {
    return getValue();
  }
}
