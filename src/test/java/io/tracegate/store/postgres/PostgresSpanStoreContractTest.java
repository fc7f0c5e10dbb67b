package io.tracegate.store.postgres;

import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStoreContractTest;
import io.tracegate.testing.TestPostgres;
import java.nio.file.Path;

/** The store contract on a real PostgreSQL (embedded binaries), one fresh database per test. */
class PostgresSpanStoreContractTest extends SpanStoreContractTest {
  @Override
  protected SpanStore newStore(Path dir) {
    return PostgresSpanStore.open(TestPostgres.newDatabase(), false);
  }
}
