package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a double reaches a generator built by {@link PlainDecimals#builder()} comes out without an exponent. */
class PlainDecimalsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper(PlainDecimals.builder().build());

  record Costs(double tiny, Double boxed, float small, double[] logprobs, double big) {}

  @Test
  void recordsTreesAndArraysWritePlainDecimals() throws Exception {
    assertThat(MAPPER.writeValueAsString(new Costs(4.49e-4, -1.2e-5, 1.5e-6f, new double[] {-3.25e-7, -0.5, 0}, 1e10)))
        .isEqualTo("{\"tiny\":0.000449,\"boxed\":-0.000012,\"small\":0.0000015,"
            + "\"logprobs\":[-0.000000325,-0.5,0.0],\"big\":10000000000.0}");
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("cost_usd", 1.8e-7);
    map.put("tree", JsonNodeFactory.instance.objectNode().put("v", 2.5e-8).put("d", new BigDecimal("1E-9")));
    map.put("tokens", 12);
    assertThat(MAPPER.writeValueAsString(map))
        .isEqualTo("{\"cost_usd\":0.00000018,\"tree\":{\"v\":0.000000025,\"d\":0.000000001},\"tokens\":12}");
  }

  @Test
  void handWrittenGeneratorsWithTheFastWriterToo() throws Exception {
    JsonFactory factory = PlainDecimals.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    StringWriter out = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("reward", 1e-7);
      g.writeFieldName("logprobs");
      g.writeArray(new double[] {9, -7.5e-5, -1e-300}, 1, 1);
      g.writeNumberField("nan", Double.NaN);
      g.writeEndObject();
    }
    assertThat(out).hasToString("{\"reward\":0.0000001,\"logprobs\":[-0.000075],\"nan\":\"NaN\"}");
  }

  @Test
  void plainTextOfOneValue() {
    assertThat(PlainDecimals.toString(4.49e-4)).isEqualTo("0.000449");
    assertThat(PlainDecimals.toString(0.25)).isEqualTo("0.25");
    assertThat(PlainDecimals.toString(-2e7)).isEqualTo("-20000000.0");
  }
}
