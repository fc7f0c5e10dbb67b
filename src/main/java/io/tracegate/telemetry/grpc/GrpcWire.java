package io.tracegate.telemetry.grpc;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The gRPC-over-HTTP/2 wire format of one unary call (grpc/grpc PROTOCOL-HTTP2.md): the length-prefixed message
 * (1 byte compressed flag, 4 bytes big-endian length, the message), and the call's outcome read from the
 * {@code grpc-status} / {@code grpc-message} trailers, or from the headers of a trailers-only answer, or, when a
 * proxy answered instead of a gRPC server, from the HTTP status as the gRPC spec maps it.
 */
final class GrpcWire {
  static final String CONTENT_TYPE = "application/grpc";
  static final int PREFIX_BYTES = 5;
  /** What the OTLP specification lets a client retry (the same set the OpenTelemetry Java SDK retries). */
  static final Set<GrpcStatusCode> RETRYABLE = EnumSet.of(GrpcStatusCode.CANCELLED, GrpcStatusCode.DEADLINE_EXCEEDED,
      GrpcStatusCode.RESOURCE_EXHAUSTED, GrpcStatusCode.ABORTED, GrpcStatusCode.OUT_OF_RANGE,
      GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DATA_LOSS);

  private GrpcWire() {}

  /** The request body: the message, length-prefixed; compressed (flag 1) when a compressor is given. */
  static Buffer frame(MessageWriter message, Compressor compressor) throws IOException {
    if (compressor == null) {
      int size = message.getContentLength();
      Buffer body = Buffer.buffer(PREFIX_BYTES + size).appendByte((byte) 0).appendInt(size);
      message.writeMessage(new BufferOutput(body));
      return body;
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = compressor.compress(compressed)) {
      message.writeMessage(out);
    }
    return Buffer.buffer(PREFIX_BYTES + compressed.size()).appendByte((byte) 1).appendInt(compressed.size())
        .appendBytes(compressed.toByteArray());
  }

  /**
   * The outcome of a call whose answer ended: {@code body} is what arrived of the response body (cut at
   * {@code maxMessageBytes} plus the prefix when {@code tooLarge}).
   */
  static GrpcResponse answer(int httpStatus, MultiMap headers, MultiMap trailers, Buffer body, boolean tooLarge,
      long maxMessageBytes) {
    String status = headers.get("grpc-status");
    String message = headers.get("grpc-message");
    if (status == null && trailers != null) {
      status = trailers.get("grpc-status");
      message = trailers.get("grpc-message");
    }
    if (status == null) { // not a gRPC answer (a proxy's, a load balancer's): its body is no gRPC message
      return new Answer(httpStatus == 200 ? GrpcStatusCode.UNKNOWN : fromHttp(httpStatus),
          "no grpc-status in the answer (HTTP " + httpStatus + ")", new byte[0]);
    }
    GrpcStatusCode code = parse(status);
    message = message == null ? "" : percentDecode(message);
    if (tooLarge) {
      return new Answer(GrpcStatusCode.RESOURCE_EXHAUSTED, "gRPC response larger than " + maxMessageBytes
          + " bytes", new byte[0]);
    }
    byte[] reply = new byte[0];
    if (body.length() >= PREFIX_BYTES) {
      boolean compressed = body.getByte(0) != 0;
      int length = Math.min(body.getInt(1), body.length() - PREFIX_BYTES);
      reply = body.getBytes(PREFIX_BYTES, PREFIX_BYTES + Math.max(0, length));
      if (compressed) {
        String encoding = headers.get("grpc-encoding");
        if (!"gzip".equalsIgnoreCase(encoding)) {
          return new Answer(GrpcStatusCode.INTERNAL, "unsupported gRPC message encoding: " + encoding, new byte[0]);
        }
        try {
          reply = gunzip(reply, maxMessageBytes);
        } catch (IOException e) {
          return new Answer(GrpcStatusCode.INTERNAL, "gRPC response does not decompress: " + e.getMessage(),
              new byte[0]);
        }
        if (reply == null) {
          return new Answer(GrpcStatusCode.RESOURCE_EXHAUSTED, "gRPC response larger than " + maxMessageBytes
              + " bytes", new byte[0]);
        }
      }
    }
    return new Answer(code, message, reply);
  }

  /** gRPC's mapping of an HTTP status that came without {@code grpc-status} (doc/http-grpc-status-mapping.md). */
  static GrpcStatusCode fromHttp(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> GrpcStatusCode.INTERNAL;
      case 401 -> GrpcStatusCode.UNAUTHENTICATED;
      case 403 -> GrpcStatusCode.PERMISSION_DENIED;
      case 404 -> GrpcStatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
      default -> GrpcStatusCode.UNKNOWN;
    };
  }

  private static GrpcStatusCode parse(String status) {
    try {
      GrpcStatusCode code = GrpcStatusCode.fromValue(Integer.parseInt(status.strip()));
      return code == null ? GrpcStatusCode.UNKNOWN : code;
    } catch (RuntimeException e) {
      return GrpcStatusCode.UNKNOWN;
    }
  }

  /** {@code grpc-message} is percent-encoded UTF-8; a malformed escape is kept as it is. */
  static String percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    byte[] in = value.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length) {
        int hi = Character.digit(in[i + 1], 16);
        int lo = Character.digit(in[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(in[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The inflated bytes, or null when they would exceed {@code max}. */
  private static byte[] gunzip(byte[] compressed, long max) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return out.length > max ? null : out;
    }
  }

  /** One call's outcome, as the SDK's exporter reads it. */
  record Answer(GrpcStatusCode code, String description, byte[] message) implements GrpcResponse {
    @Override
    public GrpcStatusCode getStatusCode() {
      return code;
    }

    @Override
    public String getStatusDescription() {
      return description;
    }

    @Override
    public byte[] getResponseMessage() {
      return message;
    }
  }

  /** Lets the SDK's marshaler write straight into the request's buffer. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer buffer;

    BufferOutput(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.appendBytes(b, off, len);
    }
  }
}
