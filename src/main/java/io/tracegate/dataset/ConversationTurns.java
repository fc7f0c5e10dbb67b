package io.tracegate.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * verl's {@code num_turns}: chat turns including user, assistant and tool messages (its tool agent loop counts
 * {@code user_turns + assistant_turns + 1}, its single-turn loop 2). Here: the non-system messages sent with the
 * (last) call plus 1 for its answer; when the messages are unknown, 2 per merged call.
 */
final class ConversationTurns {
  private static final JsonFactory JSON = new JsonFactory();

  private ConversationTurns() {}

  static long of(Triplet t) {
    if (t.messages() == null) {
      return 2L * t.turns();
    }
    try (JsonParser p = JSON.createParser(t.messages())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        return 2L * t.turns();
      }
      long count = 0;
      while (p.nextToken() == JsonToken.START_OBJECT) {
        boolean system = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if ("role".equals(field) && value == JsonToken.VALUE_STRING) {
            String role = p.getText();
            system = "system".equals(role) || "developer".equals(role);
          } else {
            p.skipChildren();
          }
        }
        if (!system) {
          count++;
        }
      }
      return count + 1;
    } catch (IOException e) {
      return 2L * t.turns();
    }
  }
}
