package io.tracegate.store.memory;

import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStoreContractTest;
import java.nio.file.Path;

class MemorySpanStoreContractTest extends SpanStoreContractTest {
  @Override
  protected SpanStore newStore(Path dir) {
    return new MemorySpanStore();
  }
}
