package io.tracegate.bench;

import io.tracegate.trace.SpanIds;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under the gateway's figures: what this machine gives a proxy that does the least a tracing gateway
 * must do. {@code pipe} is a bare Vert.x 5 pipe (no parsing, no recording), as in issue 5's table. {@code record}
 * adds the least persistence can cost: one SQLite row per request (id, two times, status, request and answer
 * bytes; a primary-key index, 16 KiB pages, WAL, one transaction per batch of up to 512 rows) written by one
 * thread, the way tracegate's span writer does, with nothing parsed or built. {@code bench/floor.sh} runs both
 * under the referee harness with the same pinning and JVM options as tracegate's {@code bench/run.sh}.
 *
 * <p>The upstream is {@code MOCK_BASE_URL} (default http://127.0.0.1:18081). On exit (SIGTERM) the writer
 * drains and prints the requests answered, the rows written and the rows dropped because the queue was full.
 */
public final class PipeFloor {
  private static final int BATCH = 512;

  private PipeFloor() {}

  public static void main(String[] args) throws Exception {
    boolean record = args.length > 0 && args[0].equals("record");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
    Path db = Path.of(args.length > 2 ? args[2] : "target/bench/floor.db");
    URI upstream = URI.create(System.getenv().getOrDefault("MOCK_BASE_URL", "http://127.0.0.1:18081"));
    RowWriter writer = record ? new RowWriter(db) : null;
    AtomicLong answered = new AtomicLong();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(req -> {
          if (req.path().equals("/health")) {
            req.response().end("ok");
          } else {
            forward(req, client, upstream, writer, answered);
          }
        })
        .listen().await();
    System.out.println((record ? "pipe + one SQLite row per request" : "bare pipe") + " on 127.0.0.1:" + port
        + " -> " + upstream);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      long rows = writer == null ? 0 : writer.close();
      System.out.println("answered " + answered.get() + ", rows " + rows + ", dropped "
          + (writer == null ? 0 : writer.dropped.get()));
    }));
  }

  /** Relays the answer chunk by chunk (SSE included), keeping a copy of its bytes for the row. */
  private static void forward(HttpServerRequest req, HttpClient client, URI upstream, RowWriter writer,
      AtomicLong answered) {
    long start = System.nanoTime();
    HttpServerResponse response = req.response();
    req.body().onSuccess(body -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost(upstream.getHost()).setPort(upstream.getPort()).setURI(req.uri()))
        .compose(out -> {
          out.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
          return out.send(body);
        })
        .onSuccess(resp -> {
          response.setStatusCode(resp.statusCode());
          String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
          response.putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type);
          String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
          } else {
            response.setChunked(true);
          }
          Buffer answer = writer == null ? null : Buffer.buffer();
          resp.handler(chunk -> {
            response.write(chunk);
            if (answer != null) {
              answer.appendBuffer(chunk);
            }
          });
          resp.endHandler(v -> {
            response.end();
            answered.incrementAndGet();
            if (writer != null) {
              writer.add(new Row(start, System.nanoTime(), resp.statusCode(), body.getBytes(), answer.getBytes()));
            }
          });
        })
        .onFailure(e -> response.setStatusCode(502).end(String.valueOf(e))));
  }

  private record Row(long start, long end, int status, byte[] request, byte[] answer) {}

  /** One thread, one connection: drains the queue in batches, one transaction each. */
  private static final class RowWriter {
    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(1 << 16);
    private final Thread thread;
    private volatile boolean closing;
    private final AtomicLong dropped = new AtomicLong();
    private long rows;

    RowWriter(Path db) throws SQLException, java.io.IOException {
      Files.deleteIfExists(db);
      Files.createDirectories(db.toAbsolutePath().getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA page_size = 16384"); // as tracegate's store: ~40% less CPU per row than 4 KiB pages
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("CREATE TABLE rows (id TEXT PRIMARY KEY NOT NULL, start INTEGER, end INTEGER, status INTEGER,"
            + " request BLOB, answer BLOB)");
      }
      c.setAutoCommit(false);
      PreparedStatement insert = c.prepareStatement("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)");
      thread = new Thread(() -> run(c, insert), "floor-writer");
      thread.start();
    }

    /** Never blocks the event loop: a row that finds the queue full is counted, not written. */
    void add(Row row) {
      if (!queue.offer(row)) {
        dropped.incrementAndGet();
      }
    }

    private void run(Connection c, PreparedStatement insert) {
      List<Row> batch = new ArrayList<>(BATCH);
      try {
        while (!closing || !queue.isEmpty()) {
          Row first = queue.poll(50, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          for (Row r : batch) {
            insert.setString(1, SpanIds.newSpanId()); // tracegate's ids: they count up, like its primary key
            insert.setLong(2, r.start());
            insert.setLong(3, r.end());
            insert.setInt(4, r.status());
            insert.setBytes(5, r.request());
            insert.setBytes(6, r.answer());
            insert.executeUpdate();
          }
          c.commit();
          rows += batch.size();
          batch.clear();
        }
        c.close();
      } catch (SQLException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    long close() {
      closing = true;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return rows;
    }
  }
}
