package io.tracegate.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Doubles and floats in our JSON output as plain decimals: {@code 0.000449}, never {@code 4.49E-4}. Costs,
 * rewards and logprobs then read the same in every API answer, CLI JSON line and JSONL file, for people and
 * for tools that compare or grep the text. The digits are the usual shortest ones that read back as the same
 * value, only without the exponent; a whole number keeps its {@code .0} so readers still see a floating-point
 * value. Non-finite values are left to Jackson.
 *
 * <p>The one place this is decided: a generator decorator that {@link #builder()} puts into a JSON factory, so
 * everything written through it (records, trees, hand-written generators) gets it.
 */
public final class PlainDecimals implements JsonGeneratorDecorator {
  private static final PlainDecimals INSTANCE = new PlainDecimals();

  private PlainDecimals() {}

  /** A JSON factory builder whose generators write plain decimals (BigDecimals plain too). */
  public static JsonFactoryBuilder builder() {
    return new JsonFactoryBuilder().addDecorator(INSTANCE).enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);
  }

  /** The decorator itself, for a factory of another format (the report's CSV). */
  public static JsonGeneratorDecorator decorator() {
    return INSTANCE;
  }

  /** {@code v} as our JSON writes it (finite values only). */
  public static String toString(double v) {
    return plain(Double.toString(v));
  }

  /** A number's shortest text made plain: {@code 4.49E-4} -> {@code 0.000449}, {@code 1.0E10} -> {@code 10000000000.0}. */
  static String plain(String shortest) {
    if (shortest.indexOf('E') < 0) {
      return shortest;
    }
    String digits = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
    return digits.indexOf('.') < 0 ? digits + ".0" : digits;
  }

  @Override
  public JsonGenerator decorate(JsonFactory factory, JsonGenerator generator) {
    return new Generator(generator);
  }

  private static final class Generator extends JsonGeneratorDelegate {
    Generator(JsonGenerator delegate) {
      // false: writeObject/writeTree serialise through this generator, not straight to the delegate
      super(delegate, false);
    }

    @Override
    public void writeNumber(double v) throws IOException {
      if (Double.isFinite(v)) {
        delegate.writeNumber(plain(NumberOutput.toString(v, fast())));
      } else {
        delegate.writeNumber(v);
      }
    }

    @Override
    public void writeNumber(float v) throws IOException {
      if (Float.isFinite(v)) {
        delegate.writeNumber(plain(NumberOutput.toString(v, fast())));
      } else {
        delegate.writeNumber(v);
      }
    }

    /** The delegate would write the array itself, past {@link #writeNumber(double)}. */
    @Override
    public void writeArray(double[] array, int offset, int length) throws IOException {
      if (array == null) {
        throw new IllegalArgumentException("null array");
      }
      if (offset < 0 || length < 0 || offset + length > array.length) {
        throw new IllegalArgumentException("invalid offset " + offset + "/length " + length + " for an array of "
            + array.length);
      }
      delegate.writeStartArray(array, length);
      for (int i = offset; i < offset + length; i++) {
        writeNumber(array[i]);
      }
      delegate.writeEndArray();
    }

    private boolean fast() {
      return delegate.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }
  }
}
