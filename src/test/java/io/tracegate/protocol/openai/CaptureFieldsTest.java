package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming strip and the tree strip agree, on responses and on stream chunks. */
class CaptureFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String RESPONSE = "{\"id\":\"x\",\"object\":\"chat.completion\",\"prompt_token_ids\":[1,2,3],"
      + "\"prompt_logprobs\":null,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
      + "\"logprobs\":{\"content\":[{\"token\":\"hi\",\"logprob\":-0.5,\"bytes\":[104,105],\"top_logprobs\":[]}]},"
      + "\"finish_reason\":\"stop\",\"token_ids\":[7,8],\"stop_reason\":null}],"
      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5},\"kv_transfer_params\":null}";

  private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      + "\"delta\":{\"content\":\" wor\\\"ld\"},\"logprobs\":{\"content\":[]},\"finish_reason\":null,\"token_ids\":[42]}],"
      + "\"usage\":null}";

  @Test
  void streamingStripEqualsTreeStrip() throws Exception {
    for (String json : new String[] {RESPONSE, CHUNK}) {
      for (boolean ids : new boolean[] {false, true}) {
        for (boolean lp : new boolean[] {false, true}) {
          ObjectNode expected = (ObjectNode) JSON.readTree(json);
          CaptureFields.stripInPlace(expected, ids, lp);
          JsonNode actual = JSON.readTree(CaptureFields.strip(json.getBytes(StandardCharsets.UTF_8), ids, lp));
          assertThat(actual).as("ids=%s logprobs=%s %s", ids, lp, json).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void removesWhatTheClientDidNotAskFor() throws Exception {
    JsonNode stripped = JSON.readTree(CaptureFields.strip(RESPONSE.getBytes(StandardCharsets.UTF_8), true, true));
    assertThat(stripped.has("prompt_token_ids")).isFalse();
    assertThat(stripped.path("choices").get(0).has("token_ids")).isFalse();
    assertThat(stripped.path("choices").get(0).path("logprobs").isNull()).isTrue();
    assertThat(stripped.path("choices").get(0).path("message").path("content").asText()).isEqualTo("hi");
    assertThat(stripped.path("usage").path("total_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void notJsonOrNothingToStripIsReturnedAsIs() {
    byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
    assertThat(CaptureFields.strip(garbage, true, true)).isSameAs(garbage);
    byte[] json = RESPONSE.getBytes(StandardCharsets.UTF_8);
    assertThat(CaptureFields.strip(json, false, false)).isSameAs(json);
  }
}
