package io.tracegate.cli;

import io.tracegate.server.RolloutIds;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Rollout and attempt id options: taken verbatim under the gateway's rule ({@link RolloutIds}), so an id the
 * API would refuse is a usage error here (exit 2) instead of a query that silently matches nothing.
 */
final class IdConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    String problem = RolloutIds.problem(value);
    if (problem != null) {
      throw new TypeConversionException("an id " + problem + " (got \"" + value + "\")");
    }
    return value;
  }
}
