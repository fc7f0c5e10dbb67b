package io.tracegate.store.memory;

import io.tracegate.store.KeyStoreContractTest;
import io.tracegate.store.SpanStore;
import java.nio.file.Path;

/** The key store contract on the memory span store. */
class MemoryKeyStoreContractTest extends KeyStoreContractTest {
  @Override
  protected SpanStore newStore(Path dir) {
    return new MemorySpanStore();
  }
}
