package io.tracegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV cells: plain decimals as in every JSON answer, empty cells for unknown values, quoting only when needed. */
class ReportCsvTest {

  private static ReportRow row(String group, Double cost) {
    return new ReportRow(group, 2, 0, 0, 2, 150, 0, 0, 0, 96, 0, 0.0, cost, cost == null ? 2 : 0,
        cost == null ? null : cost / 2, 0, 0, null, null, 7.19, 267.977, null, 741.923125, 1L, 2L);
  }

  @Test
  void smallCostsArePlainDecimalsAndUnknownsEmpty() throws Exception {
    Report report = new Report("tag:question", List.of(row("q1", 0.000945), row("q,2", null)),
        row("total", 0.000945), 2, null, null);
    StringWriter out = new StringWriter();
    ReportCsv.write(report, out);
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[1]).startsWith("q1,2,0,0,2,150,0,0,0,96,0,0.0,0.000945,0,0.0004725,");
    assertThat(out.toString()).doesNotContain("E-");
    assertThat(lines[2]).startsWith("\"q,2\",2,0,0,2,150,0,0,0,96,0,0.0,,2,,");
    assertThat(lines[3]).startsWith("(total),");
  }
}
