package io.tracegate.cli;

import io.tracegate.report.Report;
import io.tracegate.report.ReportQuery;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import java.util.List;
import java.util.Optional;

/** Where the CLI reads spans from: the store file directly, or a running gateway's API. */
interface SpanSource extends AutoCloseable {
  SpanPage spans(SpanQuery query) throws Exception;

  long count(SpanQuery query) throws Exception;

  List<RolloutSummary> rollouts(RolloutQuery query) throws Exception;

  Optional<RolloutSummary> rollout(String id) throws Exception;

  /** Token economics (report/): computed from the store, or by the gateway ({@code GET /api/report}). */
  Report report(ReportQuery query) throws Exception;

  @Override
  void close();
}
