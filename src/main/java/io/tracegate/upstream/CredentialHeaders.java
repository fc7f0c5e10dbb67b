package io.tracegate.upstream;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for credential headers on an upstream call (docs/config.md, "Credentials"):
 * <ul>
 *   <li>A backend with a key of its own ({@code api_key}, even an empty optional one) gets that key and nothing
 *       the client sent: {@code Authorization: Bearer} for OpenAI-compatible servers, {@code x-api-key} for
 *       Anthropic.</li>
 *   <li>A backend without one gets the client's credential only in the header its protocol uses:
 *       OpenAI-compatible servers {@code Authorization}, never {@code x-api-key}; Anthropic {@code x-api-key}
 *       and {@code Authorization} (Anthropic takes OAuth tokens as {@code Authorization: Bearer}).</li>
 *   <li>Translated calls (the client speaks the other protocol) carry no client credential at all: the lanes
 *       only forward client headers when the protocols match, so an Anthropic key never reaches a vLLM server.</li>
 * </ul>
 */
final class CredentialHeaders {
  static final String X_API_KEY = "x-api-key";

  private CredentialHeaders() {}

  /** Applies the rule to the headers about to be sent to {@code backend}. */
  static void apply(MultiMap headers, BackendConfig backend) {
    if (backend.apiKey().isConfigured()) {
      headers.remove(HttpHeaders.AUTHORIZATION);
      headers.remove(X_API_KEY);
      if (backend.apiKey().hasValue()) {
        if (backend.provider() == Provider.ANTHROPIC) {
          headers.set(X_API_KEY, backend.apiKey().value());
        } else {
          headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + backend.apiKey().value());
        }
      }
    } else if (backend.provider() != Provider.ANTHROPIC) {
      headers.remove(X_API_KEY);
    }
  }

  /**
   * The secret values in headers that were sent upstream, to be redacted wherever the backend echoes them:
   * the {@code x-api-key} value and the token of {@code Authorization} (without its scheme).
   */
  static List<String> secrets(MultiMap sent) {
    List<String> out = new ArrayList<>(2);
    for (String v : sent.getAll(X_API_KEY)) {
      out.add(v.strip());
    }
    for (String v : sent.getAll(HttpHeaders.AUTHORIZATION)) {
      String s = v.strip();
      int space = s.indexOf(' ');
      out.add(space > 0 ? s.substring(space + 1).strip() : s);
    }
    return out;
  }
}
