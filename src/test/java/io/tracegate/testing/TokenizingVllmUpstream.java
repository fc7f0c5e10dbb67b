package io.tracegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A vLLM-like Chat Completions server over real HTTP on 127.0.0.1 with a toy tokenizer and a ChatML-like chat
 * template, so tests know every token id the gateway records: each message renders as {@code <im_start> <role>
 * words... <im_end>}, the prompt ends with the generation prompt {@code <im_start> assistant}, and an answer is
 * {@code [<think> reasoning... </think>] words... <im_end>}. History is re-rendered from the messages the client
 * sends, so an assistant turn sent back without its reasoning renders differently from what was generated (the
 * retokenization drift of agentic RL). Answers come from a script (a function of the request's messages). With
 * {@code return_token_ids} it returns {@code prompt_token_ids} and {@code choices[0].token_ids}; with
 * {@code logprobs} each token's logprob {@link #logprob(int)}.
 */
public final class TokenizingVllmUpstream implements AutoCloseable {
  public static final int IM_START = 1;
  public static final int IM_END = 2;
  public static final int THINK = 3;
  public static final int END_THINK = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the model says: optional reasoning, the text, and the finish reason ({@code stop}, {@code length}). */
  public record Answer(String reasoning, String text, String finishReason) {
    public static Answer of(String text) {
      return new Answer(null, text, "stop");
    }

    public static Answer thinking(String reasoning, String text) {
      return new Answer(reasoning, text, "stop");
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger ids = new AtomicInteger();
  private final ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
  private volatile Function<JsonNode, Answer> script =
      messages -> Answer.of("reply to " + messages.get(messages.size() - 1).path("content").asText());

  public TokenizingVllmUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Answers each request with {@code script.apply(request.messages)}. */
  public void script(Function<JsonNode, Answer> answers) {
    this.script = answers;
  }

  /** The next request is answered with this status and an OpenAI error body. */
  public void failNext(int status) {
    failures.add(status);
  }

  /** A word's token id (stable: from its text). */
  public static int word(String w) {
    return 1000 + Math.floorMod(w.hashCode(), 1_000_000);
  }

  public static int role(String role) {
    return switch (role) {
      case "system" -> 5;
      case "user" -> 6;
      case "assistant" -> 7;
      case "tool" -> 8;
      default -> 9;
    };
  }

  /** The ids of a text: one per whitespace-separated word. */
  public static List<Integer> words(String text) {
    List<Integer> out = new ArrayList<>();
    if (text != null) {
      for (String w : text.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(word(w));
        }
      }
    }
    return out;
  }

  /** The prompt ids of a message list: the template applied to every message, then the generation prompt. */
  public static List<Integer> prompt(JsonNode messages) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode m : messages) {
      out.add(IM_START);
      out.add(role(m.path("role").asText()));
      out.addAll(words(m.path("content").asText(null)));
      out.add(IM_END);
    }
    out.add(IM_START);
    out.add(role("assistant"));
    return out;
  }

  /** The ids the model generates for an answer. */
  public static List<Integer> response(Answer a) {
    List<Integer> out = new ArrayList<>();
    if (a.reasoning() != null) {
      out.add(THINK);
      out.addAll(words(a.reasoning()));
      out.add(END_THINK);
    }
    out.addAll(words(a.text()));
    if (!"length".equals(a.finishReason())) {
      out.add(IM_END);
    }
    return out;
  }

  /** The logprob the fake gives a generated token. */
  public static double logprob(int tokenId) {
    return -((tokenId % 97) + 1) / 64.0;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Integer failure = failures.poll();
      if (failure != null) {
        req.response().setStatusCode(failure).putHeader("content-type", "application/json")
            .end("{\"error\":{\"message\":\"scripted failure\",\"type\":\"invalid_request_error\"}}");
        return;
      }
      try {
        JsonNode request = JSON.readTree(body.getBytes());
        JsonNode messages = request.path("messages");
        Answer answer = script.apply(messages);
        List<Integer> prompt = prompt(messages);
        List<Integer> response = response(answer);
        ObjectNode whole = JSON.createObjectNode();
        whole.put("id", "chatcmpl-tok-" + ids.incrementAndGet());
        whole.put("object", "chat.completion");
        whole.put("created", 1_750_000_000L);
        whole.put("model", request.path("model").asText());
        ObjectNode choice = whole.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer.text());
        if (answer.reasoning() != null) {
          message.put("reasoning_content", answer.reasoning());
        }
        choice.put("finish_reason", answer.finishReason());
        if (request.path("logprobs").asBoolean(false)) {
          ArrayNode content = choice.putObject("logprobs").putArray("content");
          for (int id : response) {
            content.addObject().put("token", "t" + id).put("logprob", logprob(id));
          }
        }
        if (request.path("return_token_ids").asBoolean(false)) {
          ArrayNode p = whole.putArray("prompt_token_ids");
          prompt.forEach(p::add);
          ArrayNode r = choice.putArray("token_ids");
          response.forEach(r::add);
        }
        whole.putObject("usage").put("prompt_tokens", prompt.size()).put("completion_tokens", response.size())
            .put("total_tokens", prompt.size() + response.size());
        req.response().putHeader("content-type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(whole)));
      } catch (Exception e) {
        req.response().setStatusCode(400).end("{\"error\":{\"message\":\"" + e.getMessage() + "\"}}");
      }
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
