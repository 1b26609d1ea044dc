package org.mixbt.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * {@code report.html}: one self-contained page (inline style, no scripts, nothing fetched) with the plots
 * beside it in the same folder, the table of every epoch's scalar metrics and the run's configuration.
 */
public final class ReportHtml {
  private ReportHtml() {
  }

  /**
   * @param title the page's heading (the run folder)
   * @param config the resolved configuration stored with the checkpoint; null when absent
   */
  public static String render(String title, MetricsLog log, List<ReportCharts.Chart> charts, String config) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mixbt report: ")
        .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:1200px}"
            + "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #bbb;padding:2px 6px;"
            + "text-align:right}th{background:#eee}img{max-width:100%;margin:0.5em 0}"
            + "pre{background:#f6f6f6;padding:0.8em;font-size:0.8em;overflow-x:auto}</style></head><body>\n");
    h.append("<h1>mixbt run ").append(escape(title)).append("</h1>\n<p>").append(log.size())
        .append(" epoch(s), from <code>").append(escape(log.source())).append("</code></p>\n");
    for (ReportCharts.Chart c : charts) {
      h.append("<h2>").append(escape(c.title())).append("</h2>\n<img src=\"").append(escape(c.file()))
          .append("\" alt=\"").append(escape(c.title())).append("\" width=\"").append(ReportCharts.WIDTH)
          .append("\" height=\"").append(ReportCharts.HEIGHT).append("\">\n");
    }
    table(h, log);
    if (config != null) {
      h.append("<h2>Configuration</h2>\n<pre>").append(escape(config)).append("</pre>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static void table(StringBuilder h, MetricsLog log) {
    List<String> columns = log.scalarFields();
    h.append("<h2>Epoch metrics</h2>\n<table>\n<tr>");
    columns.forEach(c -> h.append("<th>").append(escape(c)).append("</th>"));
    h.append("</tr>\n");
    for (int row = 0; row < log.size(); row++) {
      h.append("<tr>");
      for (String c : columns) {
        JsonNode v = log.value(row, c);
        h.append("<td>").append(v == null ? "" : escape(format(v))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** Integers as they are, other numbers to 6 significant digits, text as it is. */
  static String format(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      if (!Double.isFinite(d)) {
        return Double.toString(d);
      }
      return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return v.asText();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
