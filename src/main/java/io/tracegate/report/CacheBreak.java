package io.tracegate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where one call's prompt stopped extending the previous call's prompt in the same rollout, beside the cache use
 * the provider reported for it. {@code where} is {@code tools}, {@code system} or {@code messages[k]} (k from 0),
 * or null when the prompt extends the previous one entirely ({@code extendsPrevious}), or {@code unknown} when a
 * request body was not recorded. {@code byteOffset} is the offset of the first differing byte in the prompt's
 * canonical form (compact JSON of tools, then system, then each message, with {@code cache_control} markers
 * removed: they choose what is cached, not what the prompt is); {@code partByteOffset} is the same offset within
 * the part.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"sequence_id", "span_id", "previous_sequence_id", "where", "byte_offset", "part_byte_offset",
    "extends_previous", "cache_read_input_tokens", "cache_creation_input_tokens", "input_tokens"})
public record CacheBreak(
    Long sequenceId,
    String spanId,
    Long previousSequenceId,
    String where,
    Long byteOffset,
    Long partByteOffset,
    boolean extendsPrevious,
    Long cacheReadInputTokens,
    Long cacheCreationInputTokens,
    Long inputTokens) {}
