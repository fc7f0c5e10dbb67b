package io.tracegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client on a plain socket, for tests that need what an HTTP library hides: leaving at a chosen moment,
 * reading slowly, or sending only part of a body.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The head of a JSON POST with the given Content-Length (which may exceed what is then sent). */
  public static byte[] postHead(String path, long contentLength) {
    return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A whole JSON POST request. */
  public static byte[] post(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = postHead(path, body.length);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Reads from {@code socket} until what was read contains {@code marker}; returns everything read. */
  public static String readUntil(Socket socket, String marker) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[8192];
    while (seen.indexOf(marker) < 0) {
      int n = in.read(buf);
      if (n < 0) {
        throw new AssertionError("connection closed before " + marker + " arrived; got: " + seen);
      }
      seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
    return seen.toString();
  }

  /** Polls {@code condition} until it holds, failing after {@code seconds}. */
  public static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** GET /health on a new connection with {@code Connection: close}; the whole answer as received. */
  public static String health(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }
}
