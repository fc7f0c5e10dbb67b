package io.tracegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Cache breaks compare prompts as the provider's cache does: moving a {@code cache_control} mark, which turns a
 * string content into a block list (the seed's {@code _mark_last_block}), is not a change; a changed text is.
 */
class PromptPartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PromptParts parts(String json) throws Exception {
    JsonNode request = JSON.readTree(json);
    return PromptParts.of(request);
  }

  @Test
  void aStringContentMarkedAsABlockListIsTheSamePrompt() throws Exception {
    PromptParts marked = parts("{\"system\":\"Be precise.\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"Read the file\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}");
    PromptParts next = parts("{\"system\":[{\"type\":\"text\",\"text\":\"Be precise.\"}],\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Read the file\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}");
    assertThat(next.divergenceFrom(marked)).isNull();
    assertThat(marked.divergenceFrom(parts("{\"system\":\"Be precise.\",\"messages\":[]}"))).isNull();
  }

  @Test
  void aChangedTextStillBreaksAtItsMessage() throws Exception {
    PromptParts before = parts("{\"messages\":[{\"role\":\"user\",\"content\":\"Read the file\"}]}");
    PromptParts after = parts("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Read the files\"}]},{\"role\":\"assistant\",\"content\":\"ok\"}]}");
    PromptParts.Divergence d = after.divergenceFrom(before);
    assertThat(d.where()).isEqualTo("messages[0]");
    assertThat(d.partByteOffset()).isEqualTo("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Read the file"
        .length());
  }
}
