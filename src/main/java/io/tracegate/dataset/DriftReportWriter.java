package io.tracegate.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --drift-report} file: one {@link DriftCase} per line as a JSON object with snake_case keys
 * ({@code rollout_id}, {@code span_id}, {@code continues_span_id}, {@code position}, ...), written as found.
 */
public final class DriftReportWriter implements DriftSink, Closeable {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final BufferedWriter out;

  private DriftReportWriter(BufferedWriter out) {
    this.out = out;
  }

  /** Creates (or replaces) the file. */
  public static DriftReportWriter create(Path file) throws IOException {
    return new DriftReportWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  @Override
  public void accept(DriftCase driftCase) throws IOException {
    out.write(JSON.writeValueAsString(driftCase));
    out.write('\n');
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
