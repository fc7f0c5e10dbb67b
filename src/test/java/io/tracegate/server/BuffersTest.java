package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuffersTest {

  @Test
  void wrapsWithoutCopyingAndSurvivesTheReleaseAWriteDoes() {
    byte[] bytes = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    Buffer buffer = Buffers.wrap(bytes);
    assertThat(buffer.getBytes()).isEqualTo(bytes);
    bytes[2] = 'M'; // shares the array: nothing was copied
    assertThat(buffer.toString()).isEqualTo("{\"Model\":\"m\"}");

    // Netty releases what it writes; the buffer must stay readable for a second write (and for the span)
    ByteBuf written = ((BufferInternal) buffer).getByteBuf();
    written.release();
    written.release();
    assertThat(((BufferInternal) buffer).getByteBuf().readableBytes()).isEqualTo(bytes.length);
    assertThat(buffer.length()).isEqualTo(bytes.length);
  }
}
