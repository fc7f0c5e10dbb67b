package io.tracegate.store.sqlite;

import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStoreContractTest;
import java.nio.file.Path;

class SqliteSpanStoreContractTest extends SpanStoreContractTest {
  @Override
  protected SpanStore newStore(Path dir) {
    return SqliteSpanStore.open(dir.resolve("traces/contract.db"));
  }
}
