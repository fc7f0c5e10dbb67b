package io.tracegate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.SystemMessages;
import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicStream;
import io.tracegate.protocol.translate.SystemPlacement;
import io.tracegate.protocol.translate.TranslatedSystem;
import io.tracegate.protocol.translate.TranslatedTools;
import io.tracegate.protocol.translate.TranslationCache;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.RequestRewriter;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic Messages client (Claude Code, Anthropic SDKs) to an OpenAI-compatible backend (vLLM, SGLang,
 * OpenAI): the request is translated to Chat Completions (plus the backend's capture options), the answer
 * back to a Message; streams are translated chunk by chunk as they arrive. The client's credentials never
 * travel to the other protocol's backend. The system prompt and tools an agent repeats on every call are
 * translated once per distinct value ({@link #translate}).
 */
final class AnthropicToOpenAiLane implements Lane {

  /** Smaller members are translated every time: finding them again would cost about as much. */
  static final int REUSE_MIN_BYTES = 4096;

  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final TranslationCache<TranslatedSystem> systems = new TranslationCache<>();
  private final TranslationCache<TranslatedTools> tools = new TranslationCache<>();

  @Override
  public String backendProtocol() {
    return "openai";
  }

  @Override
  public Plan plan(Exchange ex, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query) {
    Translation translation = translate(ex.request(), peek, backendModel,
        placement(backend.config().systemMessages()));
    AnthropicToOpenAiRequest.Result translated = translation.result();
    ObjectNode request = translated.request();
    RequestRewriter.applyCapture(request, backend.config(), false);
    byte[] body = translation.parsed().write(request);
    ex.upstreamRequest(body, peek.stream());
    TranslatingLanes.recordDropped(ex, translated.dropped());
    UpstreamCall call = new UpstreamCall("/chat/completions", Buffers.wrap(body), MultiMap.caseInsensitiveMultiMap(),
        peek.stream());
    return new Plan(call, () -> {
      OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(ex.frontendModel());
      return TranslatingLanes.translating(ex, translator::onChunk, translator::finish);
    }, TranslatingLanes.translatedBody(ex, true,
        answer -> OpenAiToAnthropicResponse.translate(answer, ex.frontendModel())));
  }

  /** The parsed request (the source of the strings the translation copies) and its translation. */
  record Translation(RawStringTree parsed, AnthropicToOpenAiRequest.Result result) {}

  /**
   * Parses and translates {@code body}. A {@code system} prompt or {@code tools} array of
   * {@link #REUSE_MIN_BYTES} or more that an earlier request sent byte for byte is neither parsed nor
   * translated again: the body is parsed with {@code null} in its place and the remembered translation,
   * already written, goes into the output. The result is the same bytes either way. (With
   * {@link SystemPlacement#MERGE_FIRST} the system prompt is translated every time: in-conversation system
   * entries are merged into it.)
   */
  Translation translate(byte[] body, RequestPeek peek, String backendModel, SystemPlacement placement) {
    RequestPeek.Member systemMember = placement == SystemPlacement.MERGE_FIRST ? null : reusable(peek, "system");
    RequestPeek.Member toolsMember = reusable(peek, "tools");
    TranslatedSystem knownSystem = systemMember == null ? null
        : systems.find(body, systemMember.valueStart(), systemMember.valueEnd());
    TranslatedTools knownTools = toolsMember == null ? null
        : tools.find(body, toolsMember.valueStart(), toolsMember.valueEnd());
    RawStringTree parsed = TranslatingLanes.parseRequest(withNulls(body,
        knownSystem == null ? null : systemMember, knownTools == null ? null : toolsMember));
    AnthropicToOpenAiRequest.Result result =
        AnthropicToOpenAiRequest.translate(parsed.tree(), backendModel, knownSystem, knownTools, placement);
    TranslatedSystem system = result.system();
    if (systemMember != null && knownSystem == null && system != null) {
      systems.remember(body, systemMember.valueStart(), systemMember.valueEnd(),
          system.message() == null ? system : system.written(parsed.write(system.message())));
    }
    TranslatedTools fresh = result.tools();
    if (toolsMember != null && knownTools == null && fresh != null) {
      tools.remember(body, toolsMember.valueStart(), toolsMember.valueEnd(),
          fresh.functions() == null ? fresh : fresh.written(parsed.write(fresh.functions())));
    }
    return new Translation(parsed, result);
  }

  static SystemPlacement placement(SystemMessages configured) {
    return switch (configured) {
      case KEEP -> SystemPlacement.KEEP;
      case MERGE_FIRST -> SystemPlacement.MERGE_FIRST;
      case AS_USER -> SystemPlacement.AS_USER;
    };
  }

  /** The member called {@code name} when it is there once and {@link #REUSE_MIN_BYTES} or longer, else null. */
  private static RequestPeek.Member reusable(RequestPeek peek, String name) {
    RequestPeek.Member m = onlyMember(peek, name);
    return m != null && m.valueEnd() - m.valueStart() >= REUSE_MIN_BYTES ? m : null;
  }

  /** The member called {@code name}, or null when there is none or more than one (the last would count). */
  private static RequestPeek.Member onlyMember(RequestPeek peek, String name) {
    RequestPeek.Member found = null;
    for (RequestPeek.Member m : peek.members()) {
      if (m.name().equals(name)) {
        if (found != null) {
          return null;
        }
        found = m;
      }
    }
    return found;
  }

  /**
   * {@code body} with {@code null} in place of the values of the given members (null: none), in one copy;
   * {@code body} itself when there are none.
   */
  private static byte[] withNulls(byte[] body, RequestPeek.Member a, RequestPeek.Member b) {
    RequestPeek.Member[] cut = a == null ? (b == null ? new RequestPeek.Member[0] : new RequestPeek.Member[] {b})
        : b == null ? new RequestPeek.Member[] {a}
        : a.valueStart() < b.valueStart() ? new RequestPeek.Member[] {a, b} : new RequestPeek.Member[] {b, a};
    if (cut.length == 0) {
      return body;
    }
    int size = body.length;
    for (RequestPeek.Member m : cut) {
      size -= m.valueEnd() - m.valueStart() - NULL.length;
    }
    byte[] out = new byte[size];
    int in = 0;
    int o = 0;
    for (RequestPeek.Member m : cut) {
      int gap = m.valueStart() - in;
      System.arraycopy(body, in, out, o, gap);
      System.arraycopy(NULL, 0, out, o + gap, NULL.length);
      o += gap + NULL.length;
      in = m.valueEnd();
    }
    System.arraycopy(body, in, out, o, body.length - in);
    return out;
  }
}
