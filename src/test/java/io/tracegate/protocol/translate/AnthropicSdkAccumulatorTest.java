package io.tracegate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.protocol.translate.ScriptedAnswer.Call;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official anthropic-java SDK accumulates our translated stream into the expected Message. */
class AnthropicSdkAccumulatorTest {

    @Test
    void sdkAccumulatorAcceptsTranslatedStream() throws Exception {
        ScriptedAnswer answer = new ScriptedAnswer("Need two files.", "Reading both.", List.of(
                new Call("call_1", "Read", "{\"file_path\":\"/a\"}"),
                new Call("call_2", "Write", "{\"file_path\":\"/b\",\"content\":\"cut")), "tool_calls", null, 3);
        List<JsonNode> events = AnthropicFrames.translate(answer.chunks(), "claude-sonnet-4-5");
        ObjectMapper sdk = ObjectMappers.jsonMapper();
        MessageAccumulator acc = MessageAccumulator.create();
        for (JsonNode e : events) {
            acc.accumulate(sdk.readValue(e.toString(), RawMessageStreamEvent.class));
        }
        Message m = acc.message();
        m.validate();
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(m.usage().inputTokens()).isEqualTo(176);
        assertThat(m.usage().cacheReadInputTokens()).contains(1024L);
        assertThat(m.usage().outputTokens()).isEqualTo(87);
        List<ContentBlock> c = m.content();
        assertThat(c).hasSize(4);
        assertThat(c.get(0).asThinking().thinking()).isEqualTo("Need two files.");
        assertThat(c.get(0).asThinking().signature()).isEmpty();
        assertThat(c.get(1).asText().text()).isEqualTo("Reading both.");
        assertThat(c.get(2).asToolUse().id()).isEqualTo("call_1");
        assertThat(c.get(2).asToolUse()._input().toString()).contains("/a");
        assertThat(c.get(3).asToolUse().name()).isEqualTo("Write");
        assertThat(c.get(3).asToolUse()._input().toString()).contains("cut");
    }
}
