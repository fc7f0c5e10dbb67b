package io.tracegate.protocol.openai;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Removes from an OpenAI response (or stream chunk) the capture fields the gateway asked a vLLM backend for
 * but the client did not: token ids ({@code prompt_token_ids}, {@code prompt_logprobs},
 * {@code choices[].token_ids}, {@code choices[].prompt_token_ids}) and logprobs ({@code choices[].logprobs}
 * becomes null, as when not requested). The span keeps them; the client gets the shape it asked for.
 */
public final class CaptureFields {
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private CaptureFields() {}

  /**
   * The JSON without the named capture fields; the input itself when it is not a JSON object. One streaming
   * pass (parser to generator): no tree is built, so a chunk carrying hundreds of prompt ids costs a copy,
   * not a parse into nodes and a serialisation back. Runs on the event loop for every relayed chunk.
   */
  public static byte[] strip(byte[] json, boolean tokenIds, boolean logprobs) {
    if (!tokenIds && !logprobs) {
      return json;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
    try (JsonParser p = JSON.getFactory().createParser(json);
        JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return json;
      }
      g.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (tokenIds && (name.equals("prompt_token_ids") || name.equals("prompt_logprobs"))) {
          p.skipChildren();
        } else if (name.equals("choices") && value == JsonToken.START_ARRAY) {
          g.writeFieldName(name);
          copyChoices(p, g, tokenIds, logprobs);
        } else {
          g.writeFieldName(name);
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    } catch (IOException notJson) {
      return json;
    }
    return out.toByteArray();
  }

  private static void copyChoices(JsonParser p, JsonGenerator g, boolean tokenIds, boolean logprobs)
      throws IOException {
    g.writeStartArray();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        g.copyCurrentStructure(p);
        continue;
      }
      g.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (tokenIds && (name.equals("token_ids") || name.equals("prompt_token_ids"))) {
          p.skipChildren();
        } else if (logprobs && name.equals("logprobs")) {
          p.skipChildren();
          g.writeNullField(name);
        } else {
          g.writeFieldName(name);
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Removes the named capture fields from a parsed response or chunk, in place. */
  public static void stripInPlace(ObjectNode root, boolean tokenIds, boolean logprobs) {
    if (tokenIds) {
      root.remove("prompt_token_ids");
      root.remove("prompt_logprobs");
    }
    for (JsonNode choice : root.path("choices")) {
      if (choice instanceof ObjectNode c) {
        if (tokenIds) {
          c.remove("token_ids");
          c.remove("prompt_token_ids");
        }
        if (logprobs && c.has("logprobs")) {
          c.putNull("logprobs");
        }
      }
    }
  }
}
