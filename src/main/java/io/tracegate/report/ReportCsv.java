package io.tracegate.report;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tracegate.trace.PlainDecimals;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as CSV (RFC 4180, header line first) through Jackson's CSV module: one line per group with the JSON
 * field names as columns, then the total as a group named {@value #TOTAL}; or, for a cache-break report, one line
 * per call. Unknown values (null) are empty cells; numbers are plain decimals ({@link PlainDecimals}), as in JSON.
 */
public final class ReportCsv {
  /** The group name of the total line. */
  public static final String TOTAL = "(total)";
  // the caller owns the Writer (it may be System.out): closing the CSV sequence must not close it
  private static final CsvMapper CSV = CsvMapper.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING) // quote a cell only when it needs it
      .build();
  private static final CsvSchema ROW_SCHEMA = CSV.schemaFor(ReportRow.class).withHeader().withNullValue("");
  private static final CsvSchema BREAK_SCHEMA = CSV.schemaFor(CacheBreak.class).withHeader().withNullValue("");

  private static final TypeReference<LinkedHashMap<String, Object>> CELLS = new TypeReference<>() {};

  private ReportCsv() {}

  public static void write(Report report, Writer out) throws IOException {
    if (report.cacheBreaks() != null) {
      writeCells(BREAK_SCHEMA, report.cacheBreaks(), out);
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
    writeCells(ROW_SCHEMA, rows, out);
  }

  /**
   * Writes the records as maps of their JSON fields with every double as its plain decimal text: Jackson's CSV
   * generator writes doubles itself (4.49E-4), without the JSON factory's {@link PlainDecimals} decorator.
   */
  private static void writeCells(CsvSchema schema, List<?> records, Writer out) throws IOException {
    try (SequenceWriter lines = CSV.writer(schema).writeValues(out)) {
      for (Object record : records) {
        Map<String, Object> cells = CSV.convertValue(record, CELLS);
        cells.replaceAll((name, v) -> v instanceof Double d && Double.isFinite(d) ? PlainDecimals.toString(d) : v);
        lines.write(cells);
      }
    }
  }
}
