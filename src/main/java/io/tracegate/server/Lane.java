package io.tracegate.server;

import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.function.Supplier;

/**
 * How requests of one client protocol travel to a backend of one wire protocol and how the answers come back:
 * pass-through when both speak the same protocol, translation when they differ. Lanes are stateless and
 * shared; what one request needs is captured in its {@link Plan}.
 */
interface Lane {

  /** "openai" or "anthropic": what the backend speaks. */
  String backendProtocol();

  /**
   * Plans one request: the call to send upstream and how to shape the answer for the client. Records the
   * upstream request (when it differs from the client's) and any translation notes on the exchange.
   */
  Plan plan(Exchange exchange, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query);

  /** Shapes a whole upstream body (success or error status) for the client. */
  @FunctionalInterface
  interface ClientBody {
    Buffer shape(int status, byte[] upstreamBody);
  }

  /**
   * The client gets the upstream body unchanged: a successful whole answer is then relayed as it arrives
   * ({@link BodyRelay}) instead of being read whole first.
   */
  ClientBody PASS_THROUGH = (status, upstreamBody) -> Buffers.wrap(upstreamBody);

  /**
   * One request's plan.
   *
   * @param frames makes the handler for a successful SSE response (one per stream), deciding what the
   *     client receives for each upstream frame
   */
  record Plan(UpstreamCall call, Supplier<FrameHandler> frames, ClientBody clientBody) {}
}
