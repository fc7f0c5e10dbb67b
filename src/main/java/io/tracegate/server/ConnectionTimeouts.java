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
import java.util.HashMap;
import java.util.Iterator;
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
 */
final class ConnectionTimeouts {
  private static final long MIN_TICK_MILLIS = 10;
  private static final long MAX_TICK_MILLIS = 1000;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final long tickMillis;
  private final String bodyMessage;
  private final Map<HttpConnection, Tracked> open = new HashMap<>();
  private long timer = -1;

  ConnectionTimeouts(Vertx vertx, ServerConfig config, GatewayMetrics metrics) {
    this.vertx = vertx;
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

  /** A connection was accepted: its first request's headers are due within the header timeout. */
  void connected(HttpConnection connection) {
    track(connection);
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
    connection.closeHandler(v -> open.remove(connection));
    return t;
  }

  private void sweep() {
    long now = System.nanoTime();
    List<Tracked> headerLate = new ArrayList<>();
    List<Tracked> idle = new ArrayList<>();
    List<Active> bodyLate = new ArrayList<>();
    for (Tracked t : open.values()) {
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
      bodyTimeout(a);
    }
  }

  private void close(Tracked t) {
    open.remove(t.connection);
    t.connection.close();
  }

  /** Answers 408 (through the router when it can, so a proxy request gets its span), then closes. */
  private void bodyTimeout(Active a) {
    HttpConnection connection = a.connection;
    RoutingContext ctx = a.ctx;
    HttpServerResponse response = a.request.response();
    if (ctx != null && !response.headWritten()) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(ar -> connection.close());
      ctx.fail(new GatewayException(GatewayException.Kind.REQUEST_TIMEOUT, bodyMessage));
      if (!response.ended()) {
        connection.close();
      }
    } else if (!response.headWritten()) {
      response.setStatusCode(408).putHeader(HttpHeaders.CONNECTION, "close")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(ErrorMapper.openAiBody(ErrorMapper.map(
              new GatewayException(GatewayException.Kind.REQUEST_TIMEOUT, bodyMessage))))
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
