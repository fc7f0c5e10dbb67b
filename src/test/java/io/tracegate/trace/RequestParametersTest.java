package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.protocol.openai.RequestPeek;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParametersTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"model\":\"m\",\"max_tokens\":256,\"temperature\":0.7,\"top_p\":1,\"n\":2,\"messages\":[{\"max_tokens\":9}]}",
      "{\"model\":\"m\",\"max_tokens\":10,\"max_completion_tokens\":20}",
      "{\"model\":\"m\" , \"temperature\" : \"hot\" ,\"top_p\":null, \"n\": 3 }",
      "{\"model\":\"m\",\"max_tokens\":5,\"max_tokens\":\"x\",\"temperature\":1e-3}",
      "{\"model\":\"m\",\"metadata\":{\"temperature\":2},\"n\":[1]}",
      "{\"model\":\"m\",\"n\":[1,2],\"top_p\":0.5,\"temperature\":{\"x\":1},\"max_tokens\":7}",
      "{\"model\":\"m\"}",
      "{\"max_tokens\":2147483647,\"n\":-2147483648,\"top_p\":-0,\"temperature\":-0.0}",
      "{\"max_tokens\":2147483648,\"n\":-2147483649,\"top_p\":123456789012345678,\"temperature\":2E+2}",
      "{\"max_tokens\":9223372036854775807,\"n\":-9223372036854775808,\"temperature\":1.5e-300}",
      "{\"max_tokens\":9223372036854775808,\"n\":123456789012345678901234567890,\"top_p\":true}",
      "{\"max_completion_tokens\":\"7\",\"temperature\":0.1000000000000000055511151231257827,\"n\":[]}"})
  void readingTheLocatedMembersGivesWhatAFullScanGives(String body) {
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    RequestParameters fromMembers = RequestParameters.of(json, RequestPeek.parse(json).members());
    assertThat(fromMembers).isEqualTo(RequestParameters.scan(json));
  }

  @Test
  void aParameterThatIsNotANumberDoesNotHideTheOnesAfterIt() {
    byte[] json = "{\"n\":[1,2],\"top_p\":0.5,\"temperature\":{\"x\":1},\"max_tokens\":7}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(RequestParameters.scan(json)).isEqualTo(new RequestParameters(7, null, 0.5, null));
  }
}
