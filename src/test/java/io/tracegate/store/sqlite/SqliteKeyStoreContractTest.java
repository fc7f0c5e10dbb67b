package io.tracegate.store.sqlite;

import io.tracegate.store.KeyStoreContractTest;
import io.tracegate.store.SpanStore;
import java.nio.file.Path;

/** The key store contract on the sqlite span store. */
class SqliteKeyStoreContractTest extends KeyStoreContractTest {
  @Override
  protected SpanStore newStore(Path dir) {
    return SqliteSpanStore.open(dir.resolve("traces/keys.db"));
  }
}
