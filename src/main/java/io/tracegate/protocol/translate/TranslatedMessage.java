package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An Anthropic {@code Message} translated from a Chat Completions response, with what the caller
 * should record on the span (e.g. as {@code tracegate.translation.warnings}).
 *
 * @param message  the Anthropic Message for the client
 * @param warnings distinct notes such as {@code tool_arguments_repaired:<id>},
 *                 {@code tool_arguments_raw:<id>} or {@code finish_reason:<value>}, first-seen order
 */
public record TranslatedMessage(ObjectNode message, List<String> warnings) {
    public TranslatedMessage {
        warnings = List.copyOf(warnings);
    }
}
