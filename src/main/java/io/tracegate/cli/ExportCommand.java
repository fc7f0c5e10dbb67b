package io.tracegate.cli;

import io.tracegate.config.ConfigLoader;
import io.tracegate.dataset.AdapterOptions;
import io.tracegate.dataset.DatasetExporter;
import io.tracegate.dataset.DatasetWriter;
import io.tracegate.dataset.DriftReportWriter;
import io.tracegate.dataset.DriftSink;
import io.tracegate.dataset.ExportFilter;
import io.tracegate.dataset.ExportProgress;
import io.tracegate.dataset.ExportSummary;
import io.tracegate.dataset.JsonlDatasetWriter;
import io.tracegate.dataset.ParquetDatasetWriter;
import io.tracegate.dataset.Semantics;
import io.tracegate.dataset.TrainerSchema;
import io.tracegate.server.TimeArgs;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tracegate export}: writes prompt/response/reward triplets from the store (read-only, safe while a
 * gateway serves) to a JSONL or Parquet file, one rollout at a time so memory stays bounded. Shows a progress
 * bar on a terminal and ends with a summary line: triplets written, skipped by reason.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export training triplets (JSONL or Parquet).")
final class ExportCommand implements Callable<Integer> {
  /** Dataset file formats; without --format the file's extension names one. */
  enum Format {
    JSONL, PARQUET;

    /** The format whose extension (.jsonl, .parquet, any case) the file has, or null. */
    static Format ofFileName(Path file) {
      String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (name.endsWith("." + f.name().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      return null;
    }
  }

  @Spec CommandSpec spec;

  @Option(names = "--config", defaultValue = "conf/tracegate.yaml",
      description = "Config whose store to read (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--out", required = true, description = "Output file.")
  Path out;

  @Option(names = "--format",
      description = "jsonl or parquet (default: from the file extension, .jsonl or .parquet).")
  Format format;

  @Option(names = "--rollout", converter = IdConverter.class, description = "Only this rollout.")
  String rollout;

  @Option(names = "--attempt", defaultValue = "latest", converter = IdConverter.class,
      description = "latest, all, or an attempt id (default: ${DEFAULT-VALUE}).")
  String attempt;

  @Option(names = "--since",
      description = "Calls started since: ISO-8601 instant, duration ago (15m, 2h) or Unix nanoseconds.")
  String since;

  @Option(names = "--model", description = "Only calls of this model (frontend or backend name).")
  String model;

  @Option(names = "--min-reward", description = "Only triplets whose reward is at least this.")
  Double minReward;

  @Option(names = "--model-version",
      description = "Only calls served with this policy version (their spans' model_version).")
  String modelVersion;

  @Option(names = "--reward-mode", defaultValue = "matched",
      description = "matched | last | broadcast | discounted:<gamma> (default: ${DEFAULT-VALUE}).")
  String rewardMode;

  @Option(names = "--merge",
      description = "One row per conversation branch: each call joins the branch whose prompt + response its prompt"
          + " starts with (loss_mask 0 on inserted tokens).")
  boolean merge;

  @Option(names = "--schema", defaultValue = "tracegate",
      description = "Row layout: tracegate, verl, skyrl or slime (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(names = "--group-stats",
      description = "Add group_size, group_reward_mean, group_reward_std and advantage per group_id.")
  boolean groupStats;

  @Option(names = "--min-version",
      description = "Only calls whose policy version number (model_version's trailing integer) is at least this one's.")
  String minVersion;

  @Option(names = "--max-staleness",
      description = "Only calls at most N policy versions behind the newest version in the export.")
  Long maxStaleness;

  @Option(names = "--drift-report",
      description = "Write each call whose tokens drifted from the conversation it continues to this JSONL file.")
  Path driftReport;

  @Option(names = "--semantics", defaultValue = "tracegate",
      description = "tracegate, or agl-v1 for Agent Lightning 1.0's extraction (default: ${DEFAULT-VALUE}).")
  String semantics;

  @Override
  public Integer call() throws Exception {
    Format f = format != null ? format : Format.ofFileName(out);
    if (f == null) {
      throw new ParameterException(spec.commandLine(), "cannot tell the format of '" + out + "' from its name:"
          + " pass --format jsonl or --format parquet, or name the file *.jsonl or *.parquet");
    }
    AdapterOptions options;
    ExportFilter filter;
    TrainerSchema layout;
    try {
      options = AdapterOptions.parse(rewardMode, merge).withSemantics(Semantics.parse(semantics));
      layout = TrainerSchema.parse(schema);
      filter = new ExportFilter(rollout, attempt, since == null ? null : TimeArgs.parseUnixNano(since),
          model, minReward, modelVersion, minVersion, maxStaleness);
      if (options.semantics() == Semantics.AGL_V1 && !ExportFilter.LATEST.equals(attempt)) {
        throw new IllegalArgumentException("--semantics agl-v1 exports each rollout's latest attempt only (as"
            + " Agent Lightning 1.0): leave out --attempt");
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    for (Path file : driftReport == null ? new Path[] {out} : new Path[] {out, driftReport}) {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
    }
    ProgressBar bar = new ProgressBar(Terminal.stderr());
    ExportSummary summary;
    try (SpanStore store = SpanStores.open(ConfigLoader.load(config).store(), true);
        DatasetWriter writer = f == Format.PARQUET ? ParquetDatasetWriter.create(out, layout, groupStats)
            : JsonlDatasetWriter.create(out, layout, groupStats);
        DriftReportWriter report = driftReport == null ? null : DriftReportWriter.create(driftReport)) {
      summary = new DatasetExporter(store, options, groupStats).export(filter, writer, bar,
          report == null ? DriftSink.NONE : report);
    }
    bar.done();
    System.out.println("exported " + summary.triplets() + " triplet(s) from " + summary.rollouts() + " rollout(s) to "
        + out + " (" + f.name().toLowerCase(Locale.ROOT) + (layout == TrainerSchema.TRACEGATE ? "" : ", " + layout.cliName())
        + "); skipped: " + (summary.skipped().isEmpty() ? "none" : summary.skipped()) + "; " + summary.driftLine());
    return 0;
  }

  /** A one-line progress bar on stderr, only when attached to a terminal. */
  private static final class ProgressBar implements ExportProgress {
    private final boolean enabled;
    private long lastDrawNanos;

    ProgressBar(boolean enabled) {
      this.enabled = enabled;
    }

    @Override
    public void onProgress(long done, long total) {
      long now = System.nanoTime();
      if (!enabled || (now - lastDrawNanos < 100_000_000L && done < total)) {
        return;
      }
      lastDrawNanos = now;
      int width = 40;
      int filled = total <= 0 ? width : (int) (width * done / Math.max(1, total));
      System.err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " rollouts");
    }

    void done() {
      if (enabled) {
        System.err.println();
      }
    }
  }
}
