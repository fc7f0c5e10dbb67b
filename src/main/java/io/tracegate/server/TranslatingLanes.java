package io.tracegate.server;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.UpstreamException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Helpers shared by the lanes that translate between protocols. */
final class TranslatingLanes {
  static final ObjectMapper JSON = JsonLimits.mapper();
  static final String DROPPED_ATTRIBUTE = "tracegate.translation.dropped";

  private TranslatingLanes() {}

  /**
   * The request's tree, remembering where its long strings came from: write what is sent upstream with
   * {@link RawStringTree#write} so the strings the translation moves are copied rather than escaped again.
   */
  static RawStringTree parseRequest(byte[] body) {
    try {
      return RawStringTree.read(body);
    } catch (IOException e) {
      // RequestPeek already accepted the body, so this cannot happen for well-formed input
      throw new GatewayException(GatewayException.Kind.MALFORMED_JSON, "request body is not valid JSON: " + e.getMessage());
    }
  }

  static byte[] serialize(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise translated request", e);
    }
  }

  static void recordDropped(Exchange ex, List<String> dropped) {
    if (!dropped.isEmpty()) {
      ex.attribute(DROPPED_ATTRIBUTE, List.copyOf(dropped));
    }
  }

  static JsonNode parseUpstreamAnswer(byte[] body, Exchange ex) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException ignored) {
      // reported below
    }
    throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
        "upstream " + ex.backendName() + " answered with a body that is not a JSON object", null);
  }

  /**
   * The SSE data payload of an upstream frame, recorded on the exchange, parsed; null for frames without
   * data ([DONE], comments, keep-alives) or whose data is not JSON (skipped rather than breaking the stream).
   */
  static JsonNode recordAndParse(byte[] frame, Exchange ex) {
    byte[] data = SseEvents.data(frame);
    if (data == null || SseEvents.isDoneData(data)) {
      return null;
    }
    ex.upstreamData(data);
    try {
      JsonNode node = JSON.readTree(data);
      return node != null && node.isObject() ? node : null;
    } catch (IOException malformed) {
      return null;
    }
  }

  static void emit(List<byte[]> frames, Consumer<Buffer> toClient) {
    for (byte[] f : frames) {
      toClient.accept(Buffer.buffer(f));
    }
  }

  /**
   * A frame handler that records each upstream payload and sends the client what a stateful stream
   * translator makes of it, as it arrives; {@code onEnd} supplies the closing frames.
   */
  static FrameHandler translating(Exchange ex, Function<JsonNode, List<byte[]>> onPayload,
      Supplier<List<byte[]>> onEnd) {
    return new FrameHandler() {
      @Override
      public void onFrame(byte[] frame, Consumer<Buffer> toClient) {
        JsonNode payload = recordAndParse(frame, ex);
        if (payload != null) {
          emit(onPayload.apply(payload), toClient);
        }
      }

      @Override
      public void onEnd(Consumer<Buffer> toClient) {
        emit(onEnd.get(), toClient);
      }
    };
  }

  /** The client body of a translated lane: errors re-shaped, answers translated. */
  static Lane.ClientBody translatedBody(Exchange ex, boolean toAnthropic, Function<JsonNode, JsonNode> translate) {
    return (status, upstreamBody) -> status >= 400
        ? ErrorMapper.translatedUpstreamError(status, upstreamBody, toAnthropic)
        : Buffers.wrap(serialize(translate.apply(parseUpstreamAnswer(upstreamBody, ex))));
  }
}
