package io.tracegate.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with columns sized to their content. Cells show control characters as escapes
 * ({@link Formats#visible}), so every row stays one line and no cell can send escape sequences to a terminal.
 */
final class Table {
  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = headers;
  }

  void row(Object... cells) {
    String[] r = new String[headers.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < cells.length && cells[i] != null ? Formats.visible(String.valueOf(cells[i])) : "-";
    }
    rows.add(r);
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    line(out, headers, widths);
    for (String[] r : rows) {
      line(out, r, widths);
    }
  }

  private static void line(PrintStream out, String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(widths[i] - cells[i].length()));
      }
    }
    out.println(sb);
  }
}
