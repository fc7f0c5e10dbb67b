package io.tracegate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSplicerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String apply(String json, TopLevelEdit... edits) {
        return new String(JsonSplicer.apply(b(json), List.of(edits)), StandardCharsets.UTF_8);
    }

    private static JsonNode tree(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void replacesAnExistingValueAndKeepsEverythingElseByteIdentical() {
        String in = "{ \"model\" : \"claude\" ,\n\t\"x-unknown\": {\"model\":\"no\"}, \"messages\":[] }";
        assertThat(apply(in, TopLevelEdit.setString("model", "Qwen/Qwen3")))
                .isEqualTo("{ \"model\" : \"Qwen/Qwen3\" ,\n\t\"x-unknown\": {\"model\":\"no\"}, \"messages\":[] }");
    }

    @Test
    void insertsAfterTheOpeningBrace() throws Exception {
        assertThat(apply("{\"model\":\"m\"}", TopLevelEdit.set("return_token_ids", "true")))
                .isEqualTo("{\"return_token_ids\":true,\"model\":\"m\"}");
        assertThat(apply("{}", TopLevelEdit.set("a", "1"))).isEqualTo("{\"a\":1}");
        assertThat(apply(" { \n } ", TopLevelEdit.set("a", "1"), TopLevelEdit.set("b", "[2]")))
                .isEqualTo(" {\"a\":1,\"b\":[2] \n } ");
        assertThat(tree(apply("{}", TopLevelEdit.setString("we\"ird\n", "v")))).isEqualTo(tree("{\"we\\\"ird\\n\":\"v\"}"));
    }

    @Test
    void removesFirstMiddleLastAndOnlyMembers() throws Exception {
        String in = "{\"a\":1, \"b\":{\"c\":\"}\"} ,\"d\":[3]\n}";
        assertThat(apply(in, TopLevelEdit.remove("a"))).isEqualTo("{\"b\":{\"c\":\"}\"} ,\"d\":[3]\n}");
        assertThat(apply(in, TopLevelEdit.remove("b"))).isEqualTo("{\"a\":1 ,\"d\":[3]\n}");
        assertThat(apply(in, TopLevelEdit.remove("d"))).isEqualTo("{\"a\":1, \"b\":{\"c\":\"}\"}\n}");
        assertThat(apply(in, TopLevelEdit.remove("a"), TopLevelEdit.remove("d"))).isEqualTo("{\"b\":{\"c\":\"}\"}\n}");
        assertThat(tree(apply(in, TopLevelEdit.remove("a"), TopLevelEdit.remove("b"), TopLevelEdit.remove("d"))))
                .isEqualTo(tree("{}"));
        assertThat(apply("{\"only\":1}", TopLevelEdit.remove("only"))).isEqualTo("{}");
        assertThat(apply("{\"a\":1}", TopLevelEdit.remove("zzz"))).isEqualTo("{\"a\":1}");
    }

    @Test
    void insertAndRemoveEverythingElseLeavesNoDanglingComma() throws Exception {
        String out = apply("{\"a\":1,\"b\":2}", TopLevelEdit.remove("a"), TopLevelEdit.remove("b"), TopLevelEdit.set("c", "3"));
        assertThat(out).isEqualTo("{\"c\":3}");
        assertThat(tree(out)).isEqualTo(tree("{\"c\":3}"));
    }

    @Test
    void duplicateKeysAreAllEdited() throws Exception {
        assertThat(apply("{\"model\":\"a\",\"x\":0,\"model\":\"b\"}", TopLevelEdit.setString("model", "c")))
                .isEqualTo("{\"model\":\"c\",\"x\":0,\"model\":\"c\"}");
        assertThat(apply("{\"model\":\"a\",\"x\":0,\"model\":\"b\"}", TopLevelEdit.remove("model")))
                .isEqualTo("{\"x\":0}");
    }

    @Test
    void lastEditForAKeyWins() {
        assertThat(apply("{\"a\":1}", TopLevelEdit.set("a", "2"), TopLevelEdit.remove("a"))).isEqualTo("{}");
        assertThat(apply("{\"a\":1}", TopLevelEdit.remove("a"), TopLevelEdit.set("a", "3"))).isEqualTo("{\"a\":3}");
    }

    @Test
    void weirdBodiesReparseToTheExpectedTree() throws Exception {
        String in = "\uFEFF\n{\r\n \"messages\" :[{\"role\":\"user\",\"content\":\"say \\\"}{\\\" and ,,\\\\\"}],"
                + "\"model\":\t\"x\",  \"temperature\" : 0.5e-1 , \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}], \"logprobs\":false\r\n}\r\n";
        byte[] body = in.getBytes(StandardCharsets.UTF_8);
        byte[] out = JsonSplicer.apply(body, List.of(
                TopLevelEdit.setString("model", "backend/model"),
                TopLevelEdit.set("logprobs", "true"),
                TopLevelEdit.set("top_logprobs", "5"),
                TopLevelEdit.set("return_token_ids", "true"),
                TopLevelEdit.remove("temperature"),
                TopLevelEdit.set("stream_options", "{\"include_usage\":true}")));
        JsonNode expected = MAPPER.readTree(body); // byte input: Jackson skips the BOM
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected)
                .put("model", "backend/model").put("logprobs", true).put("top_logprobs", 5)
                .put("return_token_ids", true).without("temperature");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).putObject("stream_options").put("include_usage", true);
        assertThat(MAPPER.readTree(out)).isEqualTo(expected);
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text).contains("\"messages\" :[{\"role\":\"user\",\"content\":\"say \\\"}{\\\" and ,,\\\\\"}]");
        assertThat(text).endsWith("\"logprobs\":true\r\n}\r\n");
    }

    @Test
    void noEditsReturnsACopy() {
        byte[] body = b("{\"a\" : 1}");
        byte[] out = JsonSplicer.apply(body, List.of());
        assertThat(out).isEqualTo(body).isNotSameAs(body);
    }

    @Test
    void quoteEscapes() {
        assertThat(new String(JsonSplicer.quote("a\"b\\c\n\u0001é"), StandardCharsets.UTF_8))
                .isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
