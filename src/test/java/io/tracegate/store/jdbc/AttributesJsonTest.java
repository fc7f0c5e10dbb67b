package io.tracegate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void writesWhatTheMapperWritesForEveryValueKind() throws Exception {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.request.stream", true);
    a.put("gen_ai.usage.input_tokens", 123L);
    a.put("tracegate.http.status", 200);
    a.put("gen_ai.request.temperature", 0.2);
    a.put("nan", Double.NaN);
    a.put("huge", 1e300);
    a.put("null", null);
    a.put("escapes", "quote \" backslash \\ newline \n tab \t nul \u0000 é 😀");
    a.put("gen_ai.response.finish_reasons", List.of("stop", "length"));
    a.put("nested", Map.of("k", List.of(1, 2L, Map.of("deep", false))));
    a.put("null list item", Arrays.asList("a", null));
    a.put("other number", new BigDecimal("1.50"));
    a.put("float", 1.5f);
    a.put("non-string keys", Map.of(7, "seven"));
    a.put("array", new int[] {1, 2});
    a.put("", "empty key");
    assertThat(AttributesJson.write(mapper, a)).isEqualTo(mapper.writeValueAsBytes(a));
  }

  @Test
  void anEmptyMapIsAnEmptyObject() {
    assertThat(AttributesJson.write(mapper, Map.of())).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }
}
