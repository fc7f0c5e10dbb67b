package io.tracegate.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's client connections, counted where the acceptor takes them and where they close, so the count
 * is the descriptors they hold. Over {@code server.shed_connections_above} the event loops shed the oldest
 * connections that are not being answered ({@link ConnectionTimeouts}); that happens only after the acceptor
 * has handed a connection over, and the acceptor is faster: under a flood it would take every descriptor
 * first, and a process out of descriptors stops accepting for a second at a time ({@code /health} included).
 * So {@link #acceptGate()} closes new connections at once, on the acceptor thread, while half the threshold
 * again is open: the event loops' shedding then catches up, and accepting never stops. (Pausing the acceptor
 * instead would leave connections waiting in the listen backlog, but with epoll's edge-triggered mode a
 * resumed acceptor may not see them until another connection arrives.) Thread-safe.
 */
final class ClientConnections {
  /** {@code shedAbove} meaning "never shed". */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger shedding = new AtomicInteger();
  private final int shedAbove;
  private final int refuseAt;
  private final int slack;
  private final LongAdder refused = new LongAdder();
  private final LongAdder accepted = new LongAdder();

  /** @param shedAbove connections above which the oldest unanswered ones are shed ({@link #UNLIMITED}: never) */
  ClientConnections(int shedAbove) {
    this.shedAbove = shedAbove;
    this.slack = shedAbove == UNLIMITED ? 0 : shedAbove / 8;
    this.refuseAt = shedAbove == UNLIMITED ? UNLIMITED
        : (int) Math.min(UNLIMITED, (long) shedAbove + Math.max(16, shedAbove / 2));
  }

  /** Client connections open now (accepted and not yet closed). */
  int open() {
    return open.get();
  }

  /** How many more connections are open than the threshold, not counting those already being shed. */
  int excess() {
    return shedAbove == UNLIMITED ? 0 : open.get() - shedding.get() - shedAbove;
  }

  /** How far below the threshold shedding goes once it starts. */
  int slack() {
    return slack;
  }

  /** A connection was chosen to be shed; {@link #shedDone} when it has closed. */
  void shedding() {
    shedding.incrementAndGet();
  }

  void shedDone() {
    shedding.decrementAndGet();
  }

  /** Connections accepted and handed to an event loop since start. */
  long accepted() {
    return accepted.sum();
  }

  /** Above this many open connections new ones are closed as soon as accepted. */
  int refuseAt() {
    return refuseAt;
  }

  /** Connections closed as soon as accepted because {@link #refuseAt} were open. */
  long refused() {
    return refused.sum();
  }

  /**
   * The handler to put first in the listening channel's pipeline: it sees each accepted connection on the
   * acceptor thread, counts it, and closes it at once while {@link #refuseAt} are open.
   */
  ChannelHandler acceptGate() {
    return new AcceptGate();
  }

  private final class AcceptGate extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child) {
        if (open.get() >= refuseAt) {
          // not yet registered with an event loop: closed here, its descriptor is free at once
          refused.increment();
          child.unsafe().closeForcibly();
          return;
        }
        open.incrementAndGet();
        accepted.increment();
        child.closeFuture().addListener(f -> open.decrementAndGet());
      }
      ctx.fireChannelRead(msg);
    }
  }
}
