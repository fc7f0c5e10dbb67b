package io.tracegate.server;

import io.tracegate.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes connections of clients that are slow or gone quiet, so they cannot hold descriptors forever
 * (slowloris): a new connection must deliver its first request's headers within {@code header_timeout}; a
 * request's body must be complete within {@code body_timeout} of its headers (the request is answered 408 in
 * the client's protocol, with its span, then the connection is closed); a kept-alive connection with no
 * request in progress is closed after {@code idle_timeout} (the next request's headers included). Nothing
 * here ever cuts a request whose body has arrived: a long upstream call or a long stream runs under the
 * backend's own timeouts only.
 *
 * <p>Vert.x's {@code idleTimeout} is not used: it counts any connection without reads or writes as idle, so it
 * would cut a client waiting minutes for a model's first byte, and a client trickling one byte every few
 * seconds keeps it from ever firing. Instead one periodic sweep per event loop looks at the state of each of
 * its connections (no timer per request). Confined to the verticle's event loop.
 *
 * <p>Timeouts alone cannot keep a flood of slow clients from taking every descriptor before they expire, and a
 * process out of descriptors stops accepting ({@code /health} included). So when more client connections are
 * open gateway-wide than {@code server.shed_connections_above}, each new connection makes this loop close its
 * oldest connections that are not being answered: first those still sending headers or idle between requests,
 * then those still sending a body (answered 503). A request whose body has arrived is never shed.
 */
final class ConnectionTimeouts {
  private static final long MIN_TICK_MILLIS = 10;
  private static final long MAX_TICK_MILLIS = 1000;
  /** Bounds the work one accepted connection can cause. */
  private static final int MAX_SHED_PER_ACCEPT = 32;
  private static final String SHED_MESSAGE = "the gateway has too many open connections"
      + " (server.shed_connections_above) and closed this one, whose request body was still arriving";

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final long tickMillis;
  private final String bodyMessage;
  private final ClientConnections connections;
  /** In accept order: the oldest first, where shedding looks. */
  private final Map<HttpConnection, Tracked> open = new LinkedHashMap<>();
  private long timer = -1;

  /** @param connections the gateway's client connections, shared by every event loop (when to shed) */
  ConnectionTimeouts(Vertx vertx, ServerConfig config, GatewayMetrics metrics, ClientConnections connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.metrics = metrics;
    this.headerNanos = config.headerTimeout().toNanos();
    this.bodyNanos = config.bodyTimeout().toNanos();
    this.idleNanos = config.idleTimeout().toNanos();
    long shortest = Math.min(config.headerTimeout().toMillis(),
        Math.min(config.bodyTimeout().toMillis(), config.idleTimeout().toMillis()));
    this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, shortest / 4));
    this.bodyMessage = "the request body was not complete within server.body_timeout ("
        + config.bodyTimeout().toMillis() + " ms); the connection is closed";
  }

  void start() {
    timer = vertx.setPeriodic(tickMillis, id -> sweep());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /**
   * A connection was accepted: its first request's headers are due within the header timeout. Over the
   * shedding threshold, older connections of this loop that are not being answered make room for it.
   */
  void connected(HttpConnection connection) {
    track(connection);
    int excess = connections.excess();
    if (excess > 0) {
      // a little below the threshold: room for the next burst before the acceptor has to refuse any
      shed(Math.min(excess + connections.slack(), MAX_SHED_PER_ACCEPT), connection);
    }
  }

  /** Every request, before the router sees it. */
  void request(HttpServerRequest request) {
    Tracked t = open.get(request.connection());
    if (t == null) {
      t = track(request.connection());
    }
    // requests answered since the last sweep: dropped now, so a busy keep-alive connection holds none of them
    while (!t.active.isEmpty() && t.active.peekFirst().request.response().ended()) {
      t.active.pollFirst();
    }
    t.active.add(new Active(request, System.nanoTime()));
    t.requests++;
  }

  /**
   * Route handler placed before a body handler: a body timeout then fails this context, so the request is
   * answered (and a proxy request recorded) like any other failure.
   */
  void watchBody(RoutingContext ctx) {
    Tracked t = open.get(ctx.request().connection());
    if (t != null) {
      int stream = ctx.request().streamId();
      Iterator<Active> it = t.active.descendingIterator();
      while (it.hasNext()) {
        Active a = it.next();
        if (a.request.streamId() == stream) {
          a.ctx = ctx;
          break;
        }
      }
    }
    ctx.next();
  }

  /** Connections currently tracked (open) on this event loop. */
  int openConnections() {
    return open.size();
  }

  private Tracked track(HttpConnection connection) {
    Tracked t = new Tracked(connection, System.nanoTime());
    open.put(connection, t);
    connection.closeHandler(v -> {
      open.remove(connection);
      if (t.shed) {
        connections.shedDone();
      }
    });
    return t;
  }

  /**
   * Marks a connection chosen to be shed: it counts as gone already, so the connections accepted before its
   * close completes do not shed another on its account.
   */
  private void markShed(Tracked t) {
    if (!t.shed) {
      t.shed = true;
      connections.shedding();
    }
  }

  /**
   * Closes up to {@code count} of this loop's oldest connections other than {@code newest}: those waiting for
   * headers or idle first, then those whose request body is still arriving (answered 503, with its span).
   */
  private void shed(int count, HttpConnection newest) {
    List<Tracked> quiet = new ArrayList<>(count);
    List<Tracked> uploading = new ArrayList<>(count);
    for (Tracked t : open.values()) {
      if (quiet.size() == count) {
        break;
      }
      if (t.connection == newest || t.closing) {
        continue;
      }
      Active pending = unanswered(t);
      if (pending == null) {
        quiet.add(t);
      } else if (uploading.size() < count && !pending.timedOut && !pending.request.isEnded()) {
        uploading.add(t);
      }
    }
    for (Tracked t : quiet) {
      metrics.connectionClosed(GatewayMetrics.CloseReason.SHED);
      markShed(t);
      close(t);
    }
    for (int i = 0; i < count - quiet.size() && i < uploading.size(); i++) {
      Tracked t = uploading.get(i);
      Active a = unanswered(t);
      a.timedOut = true;
      a.connection = t.connection;
      markShed(t);
      metrics.connectionClosed(GatewayMetrics.CloseReason.SHED);
      closeWith(a, GatewayException.Kind.SERVICE_UNAVAILABLE, SHED_MESSAGE);
    }
  }

  /** The connection's first request whose response has not ended, or null when it has none. */
  private static Active unanswered(Tracked t) {
    for (Active a : t.active) {
      HttpServerResponse response = a.request.response();
      if (!response.ended() && !response.closed()) {
        return a;
      }
    }
    return null;
  }

  private void sweep() {
    long now = System.nanoTime();
    List<Tracked> headerLate = new ArrayList<>();
    List<Tracked> idle = new ArrayList<>();
    List<Active> bodyLate = new ArrayList<>();
    for (Tracked t : open.values()) {
      if (t.closing) {
        continue;
      }
      Iterator<Active> it = t.active.iterator();
      while (it.hasNext()) {
        Active a = it.next();
        HttpServerResponse response = a.request.response();
        if (response.ended() || response.closed()) {
          it.remove();
          t.idleSince = now;
        } else if (!a.timedOut && !a.request.isEnded() && now - a.start > bodyNanos) {
          a.timedOut = true;
          a.connection = t.connection;
          bodyLate.add(a);
        }
      }
      if (t.active.isEmpty()) {
        if (t.requests == 0 && now - t.opened > headerNanos) {
          headerLate.add(t);
        } else if (t.requests > 0 && now - t.idleSince > idleNanos) {
          idle.add(t);
        }
      }
    }
    for (Tracked t : headerLate) {
      metrics.connectionClosed(GatewayMetrics.CloseReason.HEADER_TIMEOUT);
      close(t);
    }
    for (Tracked t : idle) {
      metrics.connectionClosed(GatewayMetrics.CloseReason.IDLE_TIMEOUT);
      close(t);
    }
    for (Active a : bodyLate) {
      metrics.connectionClosed(GatewayMetrics.CloseReason.BODY_TIMEOUT);
      closeWith(a, GatewayException.Kind.REQUEST_TIMEOUT, bodyMessage);
    }
    // shedding is driven by new connections; this catches up when this loop's share came after the last one
    int excess = connections.excess();
    if (excess > 0) {
      shed(Math.min(excess, MAX_SHED_PER_ACCEPT), null);
    }
  }

  /** Closes a connection; it stays tracked (and skipped) until the close completes. */
  private void close(Tracked t) {
    t.closing = true;
    t.connection.close();
  }

  /**
   * Answers a request whose body is still arriving with {@code kind}'s status (through the router when it
   * can, so a proxy request gets its span), then closes its connection.
   */
  private static void closeWith(Active a, GatewayException.Kind kind, String message) {
    HttpConnection connection = a.connection;
    RoutingContext ctx = a.ctx;
    HttpServerResponse response = a.request.response();
    if (ctx != null && !response.headWritten()) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(ar -> connection.close());
      ctx.fail(new GatewayException(kind, message));
      if (!response.ended()) {
        connection.close();
      }
    } else if (!response.headWritten()) {
      ErrorMapper.MappedError e = ErrorMapper.map(new GatewayException(kind, message));
      response.setStatusCode(e.status()).putHeader(HttpHeaders.CONNECTION, "close")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(ErrorMapper.openAiBody(e))
          .onComplete(ar -> connection.close());
    } else {
      connection.close();
    }
  }

  /** One open connection. */
  private static final class Tracked {
    final HttpConnection connection;
    final long opened;
    final ArrayDeque<Active> active = new ArrayDeque<>(1);
    long requests;
    long idleSince;
    boolean shed;
    boolean closing;

    Tracked(HttpConnection connection, long opened) {
      this.connection = connection;
      this.opened = opened;
    }
  }

  /** A request on it whose response has not ended. */
  private static final class Active {
    final HttpServerRequest request;
    final long start;
    RoutingContext ctx;
    HttpConnection connection;
    boolean timedOut;

    Active(HttpServerRequest request, long start) {
      this.request = request;
      this.start = start;
    }
  }
}
