package io.tracegate.store.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Where a request body holds the pieces that agents send again on every call, and how a body is rebuilt
 * from its stored form. An agent's request repeats its system prompt, its tools and every earlier message of
 * the conversation, so storing each piece once turns the quadratic growth of a conversation's spans into a
 * linear one (a Claude Code request is ~86 KB, three quarters of it system prompt and tools).
 *
 * <p>The pieces ({@link #locate}) are, in a body that is a JSON object: each element of a top-level array
 * ({@code messages}, {@code tools}, {@code system} blocks, {@code input} items) and every other top-level member
 * value, when it is at least {@link #MIN_PART_BYTES} long. The scan follows the structure only (strings are
 * skipped with their escapes); a body it cannot follow has no pieces and is stored whole.
 *
 * <p>The stored body is the original with each piece replaced by the placeholder
 * <code>{"tracegate_part":ID}</code>, so the column stays JSON for ad-hoc SQL. Where the placeholders are is
 * recorded apart, in the row's parts column ({@link #encodeRefs}): for each piece, the bytes of stored text
 * since the previous placeholder, the placeholder's length and the part id, as unsigned LEB128 varints. The
 * body is rebuilt by splicing at those offsets ({@link #join}), never by looking for placeholders in the
 * text, so a body that itself contains such an object comes back byte for byte.
 */
public final class BodyParts {

  /** Smaller pieces stay inline: a part costs a row, an index entry and a ~25-byte placeholder. */
  static final int MIN_PART_BYTES = 1024;

  private static final int[] NONE = new int[0];
  private static final byte[] PLACEHOLDER_HEAD = "{\"tracegate_part\":".getBytes(StandardCharsets.US_ASCII);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';

  private BodyParts() {}

  /** The [start, end) byte ranges of the pieces, in order, as a flat array {s0, e0, s1, e1, ...}. */
  public static int[] locate(byte[] json) {
    if (json.length < MIN_PART_BYTES) {
      return NONE;
    }
    try {
      return new Scan(json).pieces();
    } catch (NotFollowable e) {
      return NONE;
    }
  }

  /** The placeholder that stands for part {@code partId} in a stored body. */
  static byte[] placeholder(long partId) {
    byte[] digits = Long.toString(partId).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(PLACEHOLDER_HEAD, PLACEHOLDER_HEAD.length + digits.length + 1);
    System.arraycopy(digits, 0, out, PLACEHOLDER_HEAD.length, digits.length);
    out[out.length - 1] = '}';
    return out;
  }

  /** One placeholder of a stored body: {@code gap} stored bytes after the previous one, then {@code length} bytes. */
  record Ref(long gap, long length, long partId) {}

  static byte[] encodeRefs(Ref[] refs) {
    long[] values = new long[refs.length * 3];
    for (int i = 0; i < refs.length; i++) {
      values[3 * i] = refs[i].gap();
      values[3 * i + 1] = refs[i].length();
      values[3 * i + 2] = refs[i].partId();
    }
    return PackedArrays.encodeLongVarints(values);
  }

  /** @throws IllegalArgumentException when the bytes are not whole (gap, length, id) triples of varints */
  static Ref[] decodeRefs(byte[] blob) {
    long[] values = PackedArrays.decodeLongVarints(blob);
    if (values.length % 3 != 0) {
      throw new IllegalArgumentException("a parts column holds " + values.length + " numbers, not whole triples");
    }
    Ref[] refs = new Ref[values.length / 3];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = new Ref(values[3 * i], values[3 * i + 1], values[3 * i + 2]);
    }
    return refs;
  }

  /** Looks a part's bytes up by id. */
  @FunctionalInterface
  public interface PartSource {
    byte[] part(long partId) throws SQLException;
  }

  /**
   * The body a stored text and its refs stand for.
   *
   * @throws IllegalArgumentException when the refs do not fit the text or name a part that does not exist
   */
  public static byte[] join(byte[] stored, byte[] refsBlob, PartSource parts) throws SQLException {
    Ref[] refs = decodeRefs(refsBlob);
    byte[][] pieces = new byte[refs.length][];
    long size = stored.length;
    long pos = 0;
    for (int i = 0; i < refs.length; i++) {
      Ref r = refs[i];
      if (r.gap() < 0 || r.length() < 0 || r.gap() > stored.length || r.length() > stored.length) {
        throw new IllegalArgumentException("a parts column points past its stored body");
      }
      pos += r.gap() + r.length();
      if (pos > stored.length) {
        throw new IllegalArgumentException("a parts column points past its stored body");
      }
      pieces[i] = parts.part(r.partId());
      if (pieces[i] == null) {
        throw new IllegalArgumentException("stored body references part " + r.partId() + ", which is missing");
      }
      size += pieces[i].length - r.length();
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a stored body rebuilds to more than 2 GB");
    }
    byte[] out = new byte[(int) size];
    int in = 0;
    int o = 0;
    for (int i = 0; i < refs.length; i++) {
      int gap = (int) refs[i].gap();
      System.arraycopy(stored, in, out, o, gap);
      o += gap;
      System.arraycopy(pieces[i], 0, out, o, pieces[i].length);
      o += pieces[i].length;
      in += gap + (int) refs[i].length();
    }
    System.arraycopy(stored, in, out, o, stored.length - in);
    return out;
  }

  private static final class NotFollowable extends Exception {
    NotFollowable() {
      super(null, null, false, false);
    }
  }

  /** One structural pass over a body that should be a JSON object. */
  private static final class Scan {
    private final byte[] b;
    private int[] out = new int[16];
    private int count;

    Scan(byte[] b) {
      this.b = b;
    }

    int[] pieces() throws NotFollowable {
      int i = expect(ws(0), '{') + 1;
      i = ws(i);
      if (at(i) == '}') {
        return NONE;
      }
      while (true) {
        i = ws(expect(ws(string(expect(i, '"'))), ':') + 1);
        if (at(i) == '[') {
          i = ws(i + 1);
          if (at(i) == ']') {
            i++;
          } else {
            while (true) {
              int end = value(i);
              add(i, end);
              i = ws(end);
              if (at(i) == ']') {
                i++;
                break;
              }
              i = ws(expect(i, ',') + 1);
            }
          }
        } else {
          int end = value(i);
          add(i, end);
          i = end;
        }
        i = ws(i);
        if (at(i) == '}') {
          return count == 0 ? NONE : Arrays.copyOf(out, count);
        }
        i = ws(expect(i, ',') + 1);
      }
    }

    private void add(int start, int end) {
      if (end - start < MIN_PART_BYTES) {
        return;
      }
      if (count == out.length) {
        out = Arrays.copyOf(out, count * 2);
      }
      out[count++] = start;
      out[count++] = end;
    }

    private int at(int i) throws NotFollowable {
      if (i >= b.length) {
        throw new NotFollowable();
      }
      return b[i];
    }

    private int expect(int i, char c) throws NotFollowable {
      if (at(i) != c) {
        throw new NotFollowable();
      }
      return i;
    }

    private int ws(int i) {
      while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
        i++;
      }
      return i;
    }

    /** The end of the value starting at {@code i}. */
    private int value(int i) throws NotFollowable {
      int c = at(i);
      if (c == '"') {
        return string(i);
      }
      if (c != '{' && c != '[') {
        int j = i;
        while (j < b.length && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n'
            && b[j] != '\r' && b[j] != '\t') {
          j++;
        }
        if (j == i) {
          throw new NotFollowable();
        }
        return j;
      }
      int depth = 0;
      int j = i;
      while (j < b.length) {
        byte x = b[j];
        if (x == '"') {
          j = string(j);
          continue;
        }
        if (x == '{' || x == '[') {
          depth++;
        } else if (x == '}' || x == ']') {
          if (--depth == 0) {
            return j + 1;
          }
        }
        j++;
      }
      throw new NotFollowable();
    }

    /**
     * The index after the closing quote of the string whose opening quote is at {@code i}. Looks for quotes
     * only, eight bytes per step, and takes one as the end when an even number of backslashes precede it:
     * agents' prompts escape a newline every few dozen bytes, and stopping at each would halve the speed.
     */
    private int string(int i) throws NotFollowable {
      int j = i + 1;
      while (true) {
        int q = nextQuote(j);
        int k = q - 1;
        while (b[k] == '\\') { // stops at the opening quote at the latest
          k--;
        }
        if (((q - 1 - k) & 1) == 0) {
          return q + 1;
        }
        j = q + 1;
      }
    }

    private int nextQuote(int j) throws NotFollowable {
      while (j + 8 <= b.length) {
        long w = (long) LONGS.get(b, j) ^ QUOTES;
        long zeroBytes = (w - ONES) & ~w & HIGHS; // exact up to the first match, which is all we use
        if (zeroBytes != 0) {
          return j + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
        }
        j += 8;
      }
      while (j < b.length) {
        if (b[j] == '"') {
          return j;
        }
        j++;
      }
      throw new NotFollowable();
    }
  }
}
