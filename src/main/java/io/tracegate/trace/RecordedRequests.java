package io.tracegate.trace;

import io.tracegate.protocol.openai.RequestPeek;
import java.util.Arrays;
import java.util.List;

/**
 * What an exchange keeps of the request side: the client's body, the body sent upstream (when it differs), their
 * sizes, and what the request path learnt of the client's body (JSON, its top-level members). At the end of the
 * exchange bodies larger than the recording cap are cut to their beginning, after the sampling parameters are read
 * from the whole body. Confined like its {@link Exchange}.
 */
final class RecordedRequests {
  private byte[] client;
  private final int clientSize;
  private byte[] upstream;
  private int upstreamSize;
  private boolean usageInjected;
  private boolean json;
  private List<RequestPeek.Member> members;
  private RequestParameters parametersBeforeCap;

  RecordedRequests(byte[] client) {
    this.client = client;
    this.clientSize = client.length;
  }

  /** The client's body parsed as JSON. */
  void parsed() {
    this.json = true;
  }

  /** Where the request path found the body's top-level members (the recorder reads parameters from them). */
  void located(List<RequestPeek.Member> found) {
    this.members = found;
  }

  void upstream(byte[] body, boolean injectedUsage) {
    this.upstream = body;
    this.upstreamSize = body == null ? 0 : body.length;
    this.usageInjected = injectedUsage;
  }

  /** Cuts bodies larger than {@code cap} to their beginning; the sampling parameters are read first. */
  void cap(int cap) {
    if (client.length > cap) {
      if (json) {
        parametersBeforeCap = members == null ? RequestParameters.scan(client) : RequestParameters.of(client, members);
      }
      members = null;
      client = Arrays.copyOf(client, cap);
    }
    if (upstream != null && upstream.length > cap) {
      upstream = Arrays.copyOf(upstream, cap);
    }
  }

  byte[] client() {
    return client;
  }

  int clientSize() {
    return clientSize;
  }

  boolean clientTruncated() {
    return client.length < clientSize;
  }

  byte[] upstream() {
    return upstream;
  }

  int upstreamSize() {
    return upstreamSize;
  }

  boolean upstreamTruncated() {
    return upstream != null && upstream.length < upstreamSize;
  }

  boolean usageInjected() {
    return usageInjected;
  }

  boolean json() {
    return json;
  }

  List<RequestPeek.Member> members() {
    return members;
  }

  RequestParameters parametersBeforeCap() {
    return parametersBeforeCap;
  }
}
