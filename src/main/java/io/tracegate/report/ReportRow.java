package io.tracegate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One group of a report (or the total). Token counts follow the seed benchmarks' accounting: {@code inputTokens}
 * is UNCACHED input (neither read from nor written to a cache), so input + cache read + cache writes is the whole
 * prompt. {@code cacheHitRate} = cache read / (input + cache read + cache write 5m + cache write 1h), null without
 * input. {@code costUsd} sums the calls that have a price; {@code unpricedCalls} counts those that have none (their
 * cost is unknown, not 0), and it is null when no call has a price. Rewards: a rollout's reward is its last reward
 * span's value; {@code rewardedRollouts} counts the group's rollouts that have one, {@code positiveRollouts} those
 * whose reward is above 0, {@code costPerPositiveRolloutUsd} = cost / positive rollouts. Latencies are of ok and
 * failed calls alike, in milliseconds; wall time is from the first call's start to the last call's end.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"group", "calls", "errors", "retries", "rollouts", "input_tokens", "cache_read_input_tokens",
    "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "output_tokens", "reasoning_tokens",
    "cache_hit_rate", "cost_usd", "unpriced_calls", "cost_per_rollout_usd", "rewarded_rollouts",
    "positive_rollouts", "cost_per_positive_rollout_usd", "mean_reward", "latency_p50_ms", "latency_p95_ms",
    "ttft_p50_ms", "wall_time_ms", "first_start_unix_nano", "last_end_unix_nano"})
public record ReportRow(
    String group,
    long calls,
    long errors,
    long retries,
    long rollouts,
    long inputTokens,
    long cacheReadInputTokens,
    @JsonProperty("cache_creation_5m_input_tokens") long cacheCreation5mInputTokens,
    @JsonProperty("cache_creation_1h_input_tokens") long cacheCreation1hInputTokens,
    long outputTokens,
    long reasoningTokens,
    Double cacheHitRate,
    Double costUsd,
    long unpricedCalls,
    Double costPerRolloutUsd,
    long rewardedRollouts,
    long positiveRollouts,
    Double costPerPositiveRolloutUsd,
    Double meanReward,
    @JsonProperty("latency_p50_ms") Double latencyP50Ms,
    @JsonProperty("latency_p95_ms") Double latencyP95Ms,
    @JsonProperty("ttft_p50_ms") Double ttftP50Ms,
    Double wallTimeMs,
    Long firstStartUnixNano,
    Long lastEndUnixNano) {}
