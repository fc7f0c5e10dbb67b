package io.tracegate.report;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tracegate.trace.PlainDecimals;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as CSV (RFC 4180, header line first) through Jackson's CSV module: one line per group with the JSON
 * field names as columns, then the total as a group named {@value #TOTAL}; or, for a cache-break report, one line
 * per call. Unknown values (null) are empty cells; numbers are plain decimals ({@link PlainDecimals}), as in JSON.
 */
public final class ReportCsv {
  /** The group name of the total line. */
  public static final String TOTAL = "(total)";
  // the caller owns the Writer (it may be System.out): closing the CSV sequence must not close it
  private static final CsvMapper CSV = CsvMapper.builder(CsvFactory.builder().addDecorator(PlainDecimals.decorator()).build())
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING) // quote a cell only when it needs it
      .build();
  private static final ObjectWriter ROWS =
      CSV.writer(CSV.schemaFor(ReportRow.class).withHeader().withNullValue(""));
  private static final ObjectWriter BREAKS =
      CSV.writer(CSV.schemaFor(CacheBreak.class).withHeader().withNullValue(""));

  private ReportCsv() {}

  public static void write(Report report, Writer out) throws IOException {
    if (report.cacheBreaks() != null) {
      BREAKS.writeValues(out).writeAll(report.cacheBreaks()).close();
      return;
    }
    List<ReportRow> rows = new ArrayList<>(report.groups());
    ReportRow t = report.total();
    rows.add(new ReportRow(TOTAL, t.calls(), t.errors(), t.retries(), t.rollouts(), t.inputTokens(),
        t.cacheReadInputTokens(), t.cacheCreation5mInputTokens(), t.cacheCreation1hInputTokens(), t.outputTokens(),
        t.reasoningTokens(), t.cacheHitRate(), t.costUsd(), t.unpricedCalls(), t.costPerRolloutUsd(),
        t.rewardedRollouts(), t.positiveRollouts(), t.costPerPositiveRolloutUsd(), t.meanReward(),
        t.latencyP50Ms(), t.latencyP95Ms(), t.ttftP50Ms(), t.wallTimeMs(), t.firstStartUnixNano(),
        t.lastEndUnixNano()));
    ROWS.writeValues(out).writeAll(rows).close();
  }

  /** The CSV column names of a group line, in order. */
  static List<String> columns() {
    List<String> names = new ArrayList<>();
    CsvSchema schema = CSV.schemaFor(ReportRow.class);
    schema.forEach(c -> names.add(c.getName()));
    return names;
  }
}
