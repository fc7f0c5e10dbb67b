package io.tracegate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.protocol.translate.SystemPlacement;
import io.tracegate.upstream.mock.MockMessages;
import io.tracegate.upstream.mock.MockResponder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in, in-process mock LLM: answers OpenAI Chat Completions and Completions (stream and not)
 * deterministically, like a tiny tool-using model (a tool call when the user asks for something a tool
 * does, a text answer once the tool results are in), with usage, and vLLM-style token ids (ChatML template)
 * and logprobs when the request asks for them. It produces the same bytes a real server would, so
 * everything downstream (relay, recorder, store) runs exactly as with a real backend. See
 * {@link MockResponder}. An Anthropic client's call ({@code /v1/messages}) is answered in Anthropic's own shape
 * with a simulated prompt cache ({@link MockMessages}), unless the backend captures token ids (then the
 * gateway translates to Chat Completions, as for vLLM).
 */
final class MockBackend implements Backend {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MockResponder RESPONDER = new MockResponder(Clock.systemUTC());
  private static final MockMessages MESSAGES = new MockMessages(RESPONDER);
  private final Context context;
  private final BackendConfig config;
  private final String name;

  MockBackend(Context context, BackendConfig config) {
    this.context = context;
    this.config = config;
    this.name = config.name() != null ? config.name() : "mock";
  }

  @Override
  public BackendConfig config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<UpstreamResponse> send(UpstreamCall call, Cancellation cancellation) {
    if (cancellation.cancelled()) {
      return Future.failedFuture(cancellation.exception(name));
    }
    return answer(call).onSuccess(response -> cancellation.onCancel(response::cancel));
  }

  private Future<UpstreamResponse> answer(UpstreamCall call) {
    String path = call.path().indexOf('?') < 0 ? call.path() : call.path().substring(0, call.path().indexOf('?'));
    if (path.endsWith("/messages")) {
      return answerMessages(call);
    }
    MockResponder.Endpoint endpoint = call.path().endsWith("/chat/completions")
        ? MockResponder.Endpoint.CHAT_COMPLETIONS : MockResponder.Endpoint.COMPLETIONS;
    try {
      JsonNode request = JSON.readTree(call.body().getBytes());
      String model = request.path("model").asText("mock");
      if (!call.stream()) {
        ObjectNode body = RESPONDER.nonStream(endpoint, request, model);
        return Future.succeededFuture(new Response(200, "application/json",
            List.of(Buffer.buffer(JSON.writeValueAsBytes(body)))));
      }
      List<Buffer> frames = new ArrayList<>();
      for (ObjectNode chunk : RESPONDER.streamChunks(endpoint, request, model)) {
        frames.add(Buffer.buffer("data: ").appendBytes(JSON.writeValueAsBytes(chunk)).appendString("\n\n"));
      }
      frames.add(Buffer.buffer("data: [DONE]\n\n"));
      return Future.succeededFuture(new Response(200, "text/event-stream", frames));
    } catch (IllegalArgumentException | IOException e) {
      String message = e.getMessage() == null ? "invalid request" : e.getMessage();
      ObjectNode error = JSON.createObjectNode();
      error.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("code");
      return Future.succeededFuture(new Response(400, "application/json",
          List.of(Buffer.buffer(error.toString()))));
    }
  }

  /** Anthropic Messages, prompt cache simulated ({@link MockMessages}); errors in Anthropic's shape. */
  private Future<UpstreamResponse> answerMessages(UpstreamCall call) {
    SystemPlacement placement = switch (config.systemMessages()) {
      case KEEP -> SystemPlacement.KEEP;
      case MERGE_FIRST -> SystemPlacement.MERGE_FIRST;
      case AS_USER -> SystemPlacement.AS_USER;
    };
    try {
      JsonNode request = JSON.readTree(call.body().getBytes());
      String model = request == null ? "mock" : request.path("model").asText("mock");
      if (!call.stream()) {
        ObjectNode body = MESSAGES.nonStream(request, model, placement);
        return Future.succeededFuture(new Response(200, "application/json",
            List.of(Buffer.buffer(JSON.writeValueAsBytes(body)))));
      }
      List<Buffer> frames = new ArrayList<>();
      for (byte[] frame : MESSAGES.stream(request, model, placement)) {
        frames.add(Buffer.buffer(frame));
      }
      return Future.succeededFuture(new Response(200, "text/event-stream", frames));
    } catch (RuntimeException | IOException e) {
      String message = e.getMessage() == null ? "invalid request" : e.getMessage();
      ObjectNode error = JSON.createObjectNode().put("type", "error");
      error.putObject("error").put("type", "invalid_request_error").put("message", message);
      return Future.succeededFuture(new Response(400, "application/json",
          List.of(Buffer.buffer(error.toString()))));
    }
  }

  private final class Response implements UpstreamResponse {
    private final int status;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private final List<Buffer> parts;
    private BufferSequenceStream stream;

    Response(int status, String contentType, List<Buffer> parts) {
      this.status = status;
      this.parts = parts;
      headers.set(HttpHeaders.CONTENT_TYPE, contentType);
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public ReadStream<Buffer> body() {
      if (stream == null) {
        stream = new BufferSequenceStream(context, parts);
      }
      return stream;
    }

    @Override
    public Future<Buffer> fullBody() {
      Buffer all = Buffer.buffer();
      parts.forEach(all::appendBuffer);
      return Future.succeededFuture(all);
    }

    @Override
    public void cancel() {
      if (stream != null) {
        stream.cancel();
      }
    }
  }
}
