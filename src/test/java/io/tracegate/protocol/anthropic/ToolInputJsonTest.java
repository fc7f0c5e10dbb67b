package io.tracegate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolInputJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"hel                     | \"}",
        "{\"a\":                          | null}",
        "{\"a\"                           | :null}",
        "{\"a\":1,                        | \"_truncated\":true}",
        "{\"a\":[1,                       | null]}",
        "{\"a\":[1,2                      | ]}",
        "{\"a\":tr                        | ue}",
        "{\"a\":-                         | 0}",
        "{\"a\":1.                        | 0}",
        "{\"a\":\"x\\                     | \\\"}",
        "{\"a\":\"\\u00                   | 00\"}",
        "{\"a\":{\"b\":[{\"c\":\"d        | \"}]}}",
        "{\"a\":{\"b\":[{\"c\":\"d\"      | }]}}",
        "{                                | }",
    })
    void appendOnlyCompletionOfCutOffObjects(String prefix, String suffix) throws Exception {
        JsonPrefix p = new JsonPrefix();
        for (char c : prefix.toCharArray()) {
            p.feed(String.valueOf(c)); // fragment boundaries anywhere
        }
        assertThat(p.isComplete()).isFalse();
        assertThat(p.completionSuffix()).isEqualTo(suffix);
        assertThat(MAPPER.readTree(prefix + suffix).isObject()).isTrue();
        ToolInputJson.Parsed parsed = ToolInputJson.parse(prefix);
        assertThat(parsed.kind()).isEqualTo(ToolInputJson.Kind.REPAIRED);
        assertThat(parsed.suffix()).isEqualTo(suffix);
    }

    @Test
    void completeness() {
        JsonPrefix p = new JsonPrefix();
        p.feed("  {\"s\":\"}{\\\"\",");
        assertThat(p.isComplete()).isFalse();
        p.feed("\"n\":[{}, []]}");
        assertThat(p.isComplete()).isTrue();
        assertThat(p.completionSuffix()).isEmpty();
        assertThat(p.firstChar()).isEqualTo('{');
        JsonPrefix bad = new JsonPrefix();
        bad.feed("{a:1}");
        assertThat(bad.isInvalid()).isTrue();
        assertThat(bad.completionSuffix()).isNull();
    }

    @Test
    void policy() {
        assertThat(ToolInputJson.parse("").kind()).isEqualTo(ToolInputJson.Kind.EMPTY);
        assertThat(ToolInputJson.parse(null).input().isEmpty()).isTrue();
        assertThat(ToolInputJson.parse(" {\"a\":1} ").kind()).isEqualTo(ToolInputJson.Kind.VALID);
        assertThat(ToolInputJson.parse("[1]").input().get("_raw_arguments").asText()).isEqualTo("[1]");
        assertThat(ToolInputJson.parse("{\"a\":1}{\"b\":2}").kind()).isEqualTo(ToolInputJson.Kind.RAW);
        assertThat(ToolInputJson.parse("{\"a\":1,}").kind()).isEqualTo(ToolInputJson.Kind.RAW);
        assertThat(ToolInputJson.parse("\"{\\\"a\\\":1}\"").input().get("a").asInt()).isEqualTo(1);
    }
}
