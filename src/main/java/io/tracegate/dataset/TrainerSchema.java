package io.tracegate.dataset;

import static io.tracegate.dataset.Column.Kind.BOOLEAN;
import static io.tracegate.dataset.Column.Kind.DOUBLE;
import static io.tracegate.dataset.Column.Kind.DOUBLE_LIST;
import static io.tracegate.dataset.Column.Kind.INT_LIST;
import static io.tracegate.dataset.Column.Kind.JSON_OBJECT;
import static io.tracegate.dataset.Column.Kind.LONG;
import static io.tracegate.dataset.Column.Kind.STRING;
import static io.tracegate.dataset.Column.Kind.STRING_LIST;
import static io.tracegate.dataset.Column.member;
import static io.tracegate.dataset.Column.optional;
import static io.tracegate.dataset.Column.required;
import static io.tracegate.dataset.Column.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Row layouts of an export: tracegate's own, and the record shapes of the RL trainers that load the samples as
 * they are (field names, types and conventions checked in each trainer's source; docs/dataset.md cites the files).
 * Every layout has the same rows; only names and conventions differ. With group statistics, four columns are
 * appended: {@code group_size}, {@code group_reward_mean}, {@code group_reward_std}, {@code advantage}.
 */
public enum TrainerSchema {
  /** tracegate's triplet: the {@code triplet/2} columns, then group_id, branch, turns, stop_reason. */
  TRACEGATE("triplet/3", "triplet"),
  /** verl's agent loop output ({@code AgentLoopOutput}). */
  VERL("verl/1", "verl_agent_loop_output"),
  /** SkyRL's generator output ({@code GeneratorOutput}), one row per element of its lists. */
  SKYRL("skyrl/1", "skyrl_generator_output"),
  /** slime's {@code Sample} ({@code Sample.from_dict} takes a row as it is). */
  SLIME("slime/1", "slime_sample");

  private final String tag;
  private final String messageName;

  TrainerSchema(String tag, String messageName) {
    this.tag = tag;
    this.messageName = messageName;
  }

  /** {@code tracegate} (also null or blank), {@code verl}, {@code skyrl} or {@code slime}, case-insensitive. */
  public static TrainerSchema parse(String name) {
    if (name == null || name.isBlank()) {
      return TRACEGATE;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid schema '" + name + "': use tracegate, verl, skyrl or slime");
    }
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The columns, with the group statistics columns at the end when {@code groupStats}. */
  RowSchema rows(boolean groupStats) {
    List<Column> columns = new ArrayList<>(switch (this) {
      case TRACEGATE -> tracegate();
      case VERL -> verl();
      case SKYRL -> skyrl();
      case SLIME -> slime();
    });
    if (groupStats) {
      columns.add(optional("group_size", LONG, r -> r.group() == null ? null : r.group().size()));
      columns.add(optional("group_reward_mean", DOUBLE, r -> r.group() == null ? null : r.group().mean()));
      columns.add(optional("group_reward_std", DOUBLE, r -> r.group() == null ? null : r.group().std()));
      columns.add(optional("advantage", DOUBLE, ExportRow::advantage));
    }
    return new RowSchema(groupStats ? tag + "+group_stats" : tag, messageName, columns);
  }

  private static List<Column> tracegate() {
    return List.of(
        optional("rollout_id", STRING, r -> r.triplet().rolloutId()),
        optional("attempt_id", STRING, r -> r.triplet().attemptId()),
        optional("sequence_id", LONG, r -> r.triplet().sequenceId()),
        required("turn", LONG, r -> r.triplet().turn()),
        optional("model", STRING, r -> r.triplet().model()),
        required("prompt_token_ids", INT_LIST, r -> r.triplet().promptTokenIds()),
        required("response_token_ids", INT_LIST, r -> r.triplet().responseTokenIds()),
        optional("response_logprobs", DOUBLE_LIST, r -> r.triplet().responseLogprobs()),
        optional("reward", DOUBLE, r -> r.triplet().reward()),
        required("rewards", JSON_OBJECT, r -> r.triplet().rewards()),
        optional("messages", STRING, r -> r.triplet().messages()),
        optional("response_text", STRING, r -> r.triplet().responseText()),
        optional("span_id", STRING, r -> r.triplet().spanId()),
        optional("loss_mask", INT_LIST, r -> r.triplet().lossMask()),
        optional("model_version", STRING, r -> r.triplet().modelVersion()),
        optional("group_id", STRING, r -> r.triplet().groupId()),
        optional("branch", LONG, r -> r.triplet().branch()),
        required("turns", LONG, r -> (long) r.triplet().turns()),
        optional("stop_reason", STRING, r -> r.triplet().stopReason()));
  }

  /** verl/experimental/agent_loop/agent_loop.py {@code AgentLoopOutput}. */
  private static List<Column> verl() {
    List<Column> c = new ArrayList<>(List.of(
        required("prompt_ids", INT_LIST, r -> r.triplet().promptTokenIds()),
        required("response_ids", INT_LIST, r -> r.triplet().responseTokenIds()),
        required("response_mask", INT_LIST, ExportRow::mask),
        optional("response_logprobs", DOUBLE_LIST, r -> r.triplet().responseLogprobs()),
        optional("reward_score", DOUBLE, r -> r.triplet().reward()),
        required("num_turns", LONG, r -> ConversationTurns.of(r.triplet()))));
    c.addAll(identity());
    return c;
  }

  /** skyrl/train/generators/base.py {@code GeneratorOutput}, one row per list element. */
  private static List<Column> skyrl() {
    List<Column> c = new ArrayList<>(List.of(
        required("prompt_token_ids", INT_LIST, r -> r.triplet().promptTokenIds()),
        required("response_ids", INT_LIST, r -> r.triplet().responseTokenIds()),
        optional("rewards", DOUBLE, r -> r.triplet().reward()),
        required("loss_masks", INT_LIST, ExportRow::mask),
        optional("rollout_logprobs", DOUBLE_LIST, r -> r.triplet().responseLogprobs()),
        optional("stop_reasons", STRING, r -> r.triplet().stopReason()),
        struct("trajectory_ids", r -> new Object[] {r.instanceId(), r.repetition()},
            member("instance_id", STRING, false), member("repetition_id", LONG, true)),
        required("is_last_step", BOOLEAN, ExportRow::lastOfAttempt)));
    c.addAll(identity());
    return c;
  }

  /** slime/utils/types.py {@code Sample} ({@code to_dict} / {@code from_dict} form: status as its string). */
  private static List<Column> slime() {
    return List.of(
        optional("group_index", LONG, ExportRow::groupIndex),
        required("index", LONG, ExportRow::index),
        required("rollout_id", LONG, ExportRow::rolloutIndex),
        required("tokens", INT_LIST, ExportRow::tokens),
        required("response_length", LONG, r -> (long) r.triplet().responseTokenIds().length),
        required("loss_mask", INT_LIST, ExportRow::mask),
        optional("rollout_log_probs", DOUBLE_LIST, r -> r.triplet().responseLogprobs()),
        optional("reward", DOUBLE, r -> r.triplet().reward()),
        required("status", STRING, r -> slimeStatus(r.triplet().stopReason())),
        required("response", STRING, r -> r.triplet().responseText() == null ? "" : r.triplet().responseText()),
        required("weight_versions", STRING_LIST,
            r -> r.triplet().modelVersion() == null ? List.of() : List.of(r.triplet().modelVersion())),
        struct("metadata", r -> new Object[] {r.triplet().rolloutId(), r.triplet().attemptId(),
                r.triplet().spanId(), r.triplet().groupId(), r.triplet().modelVersion(), r.triplet().branch(),
                (long) r.triplet().turns()},
            member("rollout_id", STRING, false), member("attempt_id", STRING, false),
            member("span_id", STRING, false), member("group_id", STRING, false),
            member("model_version", STRING, false), member("branch", LONG, false), member("turns", LONG, true)));
  }

  /** tracegate's identity columns that verl and SkyRL rows carry after their own. */
  private static List<Column> identity() {
    return List.of(
        optional("rollout_id", STRING, r -> r.triplet().rolloutId()),
        optional("attempt_id", STRING, r -> r.triplet().attemptId()),
        optional("span_id", STRING, r -> r.triplet().spanId()),
        optional("group_id", STRING, r -> r.triplet().groupId()),
        optional("model_version", STRING, r -> r.triplet().modelVersion()),
        optional("branch", LONG, r -> r.triplet().branch()),
        required("turns", LONG, r -> (long) r.triplet().turns()));
  }

  /** slime's {@code Sample.Status} value: {@code truncated} when the (last) call hit its token limit. */
  static String slimeStatus(String stopReason) {
    return "length".equals(stopReason) || "max_tokens".equals(stopReason) ? "truncated" : "completed";
  }
}
