package io.tracegate.trace;

import java.util.List;

/**
 * What an exchange keeps of the upstream's answer, in the backend's protocol: a whole body (kept whole, or its
 * beginning plus its top-level facts when larger than the recording cap) or a stream's SSE data payloads (the
 * first cap's worth and the last few). Confined like its {@link Exchange}.
 */
final class UpstreamAnswer {
  private byte[] body;
  private CappedBody capped;
  private final CappedPayloads stream = new CappedPayloads();

  void whole(byte[] bytes, int cap) {
    if (bytes.length > cap) {
      capped = CappedBody.of(bytes, cap);
      body = null;
    } else {
      body = bytes;
    }
  }

  void part(byte[] bytes, int offset, int length, int cap) {
    if (capped == null) {
      capped = new CappedBody(cap);
    }
    capped.append(bytes, offset, length);
  }

  void data(byte[] payload, int cap) {
    stream.add(payload, cap);
  }

  boolean truncated() {
    return capped != null && capped.truncated();
  }

  long size() {
    if (stream.any()) {
      return stream.bytes();
    }
    return capped != null ? capped.size() : body == null ? 0 : body.length;
  }

  byte[] facts() {
    return capped == null ? null : capped.factsJson();
  }

  byte[] body() {
    return capped != null ? capped.head() : body;
  }

  boolean streamTruncated() {
    return stream.truncated();
  }

  int payloads() {
    return stream.count();
  }

  List<byte[]> kept() {
    return stream.kept();
  }
}
