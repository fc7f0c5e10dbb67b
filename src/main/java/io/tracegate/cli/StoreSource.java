package io.tracegate.cli;

import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.report.Report;
import io.tracegate.report.ReportEngine;
import io.tracegate.report.ReportQuery;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads the store named by a config file, read-only (safe while a gateway writes to it). */
final class StoreSource implements SpanSource {
  private final SpanStore store;
  private final long maxPageBytes;

  StoreSource(Path configFile) {
    GatewayConfig config = ConfigLoader.load(configFile);
    this.store = SpanStores.open(config.store(), true);
    this.maxPageBytes = config.server().maxApiPageBytes();
  }

  /** Pages with the gateway's byte budget ({@code server.max_api_page_size}): the caller follows the cursor. */
  @Override
  public SpanPage spans(SpanQuery query) {
    return store.query(query.maxBytes() == SpanQuery.UNBOUNDED ? query.withMaxBytes(maxPageBytes) : query);
  }

  @Override
  public long count(SpanQuery query) {
    return store.count(query);
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery query) {
    return store.rollouts(query);
  }

  @Override
  public Optional<RolloutSummary> rollout(String id) {
    return store.rollout(id);
  }

  @Override
  public Report report(ReportQuery query) {
    return new ReportEngine(store, maxPageBytes).run(query);
  }

  @Override
  public void close() {
    store.close();
  }
}
