package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPeekTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String slice(byte[] body, int from, int to) {
        return new String(body, from, to - from, StandardCharsets.UTF_8);
    }

    @Test
    void readsModelStreamAndStreamOptions() {
        RequestPeek p = RequestPeek.parse(b("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"model\\\":1}\"}],"
                + "\"stream\":true,\"stream_options\":{\"x\":[1,{\"include_usage\":false}],\"include_usage\":true}}"));
        assertThat(p.model()).isEqualTo("gpt-4o");
        assertThat(p.modelNotString()).isFalse();
        assertThat(p.stream()).isTrue();
        assertThat(p.streamNotBoolean()).isFalse();
        assertThat(p.streamOptionsPresent()).isTrue();
        assertThat(p.includeUsage()).isTrue();
        assertThat(p.members()).extracting(RequestPeek.Member::name)
                .containsExactly("model", "messages", "stream", "stream_options");
    }

    @Test
    void defaultsWhenAbsent() {
        RequestPeek p = RequestPeek.parse(b("{}"));
        assertThat(p.model()).isNull();
        assertThat(p.modelNotString()).isFalse();
        assertThat(p.stream()).isFalse();
        assertThat(p.streamOptionsPresent()).isFalse();
        assertThat(p.includeUsage()).isFalse();
        assertThat(p.members()).isEmpty();
        assertThat(p.objectStart()).isZero();
        assertThat(p.objectEnd()).isEqualTo(1);
    }

    @Test
    void flagsWrongTypes() {
        RequestPeek p = RequestPeek.parse(b("{\"model\":42,\"stream\":\"yes\",\"stream_options\":null}"));
        assertThat(p.model()).isNull();
        assertThat(p.modelNotString()).isTrue();
        assertThat(p.stream()).isFalse();
        assertThat(p.streamNotBoolean()).isTrue();
        assertThat(p.streamOptionsPresent()).isFalse();
        RequestPeek q = RequestPeek.parse(b("{\"model\":null,\"stream\":null}"));
        assertThat(q.modelNotString()).isTrue();
        assertThat(q.streamNotBoolean()).isFalse();
    }

    @Test
    void spansCoverExactlyTheValueBytes() {
        String json = " \n{ \"model\" :\t\"m\\\"x}\" ,\r\n  \"n\":  -1.5e3 ,\"o\":{\"a\":[1,2,{}]}  ,\"t\":true,"
                + "\"nul\":null,\"arr\":[ ],\"s\":\"\\u00e9{,}\"\n}\n ";
        byte[] body = b(json);
        RequestPeek p = RequestPeek.parse(body);
        assertThat(p.members()).extracting(m -> slice(body, m.valueStart(), m.valueEnd()))
                .containsExactly("\"m\\\"x}\"", "-1.5e3", "{\"a\":[1,2,{}]}", "true", "null", "[ ]", "\"\\u00e9{,}\"");
        assertThat(p.members()).extracting(m -> slice(body, m.keyStart(), m.keyStart() + m.name().length() + 2))
                .containsExactly("\"model\"", "\"n\"", "\"o\"", "\"t\"", "\"nul\"", "\"arr\"", "\"s\"");
        assertThat(p.model()).isEqualTo("m\"x}");
        assertThat(body[p.objectStart()]).isEqualTo((byte) '{');
        assertThat(body[p.objectEnd()]).isEqualTo((byte) '}');
    }

    @Test
    void multiByteUtf8KeepsByteOffsets() {
        byte[] body = b("{\"messages\":\"漢字🙂\",\"model\":\"é\"}");
        RequestPeek p = RequestPeek.parse(body);
        RequestPeek.Member m = p.member("model");
        assertThat(slice(body, m.valueStart(), m.valueEnd())).isEqualTo("\"é\"");
        assertThat(p.model()).isEqualTo("é");
    }

    @Test
    void duplicateKeysAreAllListedAndLastWins() {
        byte[] body = b("{\"model\":\"a\",\"model\":\"b\"}");
        RequestPeek p = RequestPeek.parse(body);
        assertThat(p.model()).isEqualTo("b");
        assertThat(p.members()).hasSize(2);
        assertThat(slice(body, p.member("model").valueStart(), p.member("model").valueEnd())).isEqualTo("\"b\"");
        assertThat(p.has("model")).isTrue();
        assertThat(p.has("stream")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[1,2]", "\"str\"", "42", "null", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x",
        "{\"a\":1}{}", "{\"a\" 1}", "{\"a\":tru}", "{'a':1}", "{\"a\":1,}", "{\"a\":[1,2}"})
    void rejectsMalformedBodies(String json) {
        assertThatThrownBy(() -> RequestPeek.parse(b(json)))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageStartingWith("");
    }

    @Test
    void errorMessageNamesLineAndColumn() {
        assertThatThrownBy(() -> RequestPeek.parse(b("{\n  \"model\": \"x\",\n  \"stream\": tru\n}")))
                .isInstanceOfSatisfying(MalformedRequestException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isPositive();
                    assertThat(e.getMessage()).contains("line 3, column");
                });
        assertThatThrownBy(() -> RequestPeek.parse(b("[]")))
                .hasMessageContaining("must be a JSON object").hasMessageContaining("line 1, column 1");
        assertThatThrownBy(() -> RequestPeek.parse(b("{} []")))
                .hasMessageContaining("after the JSON object");
        assertThatThrownBy(() -> RequestPeek.parse(b(""))).hasMessageContaining("empty");
    }
}
