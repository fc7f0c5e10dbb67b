package io.tracegate.store.jdbc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a span's attribute map as UTF-8 JSON with the generator directly: the value types attributes hold
 * (strings, booleans, integers, doubles, lists and maps of them) are written without the serializer lookups
 * {@link ObjectMapper#writeValueAsBytes} does per value; any other type goes through the mapper. The bytes
 * equal what {@code writeValueAsBytes} writes for the same map. Bytes, not a String: the store binds them
 * as they are (a String would be encoded to UTF-8 again by the driver).
 */
final class AttributesJson {
  private AttributesJson() {}

  static byte[] write(ObjectMapper mapper, Map<String, ?> attributes) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      value(g, attributes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write span attributes as JSON", e);
    }
    return out.toByteArray();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Map<?, ?> m && allKeysAreStrings(m)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        value(g, item);
      }
      g.writeEndArray();
    } else {
      g.writeObject(v); // the generator's codec is the mapper: same output as writeValueAsString
    }
  }

  private static boolean allKeysAreStrings(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        return false;
      }
    }
    return true;
  }
}
