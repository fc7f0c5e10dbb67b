package io.tracegate.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finish reasons of a response: OpenAI {@code choices[].finish_reason} or Anthropic {@code stop_reason}. */
final class FinishReasons {
  private FinishReasons() {}

  static Optional<List<String>> of(JsonNode response) {
    List<String> reasons = new ArrayList<>();
    JsonNode stop = response.get("stop_reason");
    if (stop != null && stop.isTextual()) {
      reasons.add(stop.asText());
    }
    for (JsonNode choice : response.path("choices")) {
      JsonNode r = choice.get("finish_reason");
      if (r != null && r.isTextual()) {
        reasons.add(r.asText());
      }
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(reasons));
  }
}
