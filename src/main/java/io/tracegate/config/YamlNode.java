package io.tracegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML tree node that knows the file it came from and its path inside it, so that every error can say
 * {@code <file>: <path>: <problem>}. Absent keys and explicit YAML nulls are both "absent".
 */
final class YamlNode {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
              .build());
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final int MAX_SHOWN_CHARS = 80;

  private final String file;
  private final String path;
  private final JsonNode node;

  private YamlNode(String file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** Reads and parses {@code file}; the root is returned even when the file is empty (then absent). */
  static YamlNode read(Path file) {
    String name = file.toString();
    JsonNode root;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(name + ": is a directory, expected a YAML file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        root = YAML.readTree(in);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          name + ": file not found (relative paths are resolved against the working directory "
              + Path.of("").toAbsolutePath() + ")", e);
    } catch (JacksonException e) {
      throw new ConfigException(name + ": " + syntaxError(e), e);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read: " + e, e);
    }
    return new YamlNode(name, "", root);
  }

  private static String syntaxError(JacksonException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      String what = y.getContext() == null ? y.getProblem() : y.getContext() + ": " + y.getProblem();
      return "line " + (y.getProblemMark().getLine() + 1) + ", column " + (y.getProblemMark().getColumn() + 1)
          + ": invalid YAML: " + what;
    }
    String what = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    int newline = what.indexOf('\n');
    if (newline >= 0) {
      what = what.substring(0, newline);
    }
    JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "invalid YAML: " + what.strip();
    }
    return "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": invalid YAML: " + what.strip();
  }

  String path() {
    return path.isEmpty() ? "(top level)" : path;
  }

  /** An error about this node: {@code <file>: <path>: <what>}. */
  ConfigException error(String what) {
    return new ConfigException(file + ": " + path() + ": " + what);
  }

  boolean isAbsent() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  /** Fails unless this node is present. */
  YamlNode required() {
    if (isAbsent()) {
      throw error("required but missing");
    }
    return this;
  }

  /** Checks that this is a mapping whose keys are all in {@code allowed}. */
  YamlNode mapping(List<String> allowed) {
    if (!node.isObject()) {
      throw error("expected a mapping (key: value) but was " + describe());
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw child(key).error("unknown key; allowed keys here: " + String.join(", ", allowed));
      }
    }
    return this;
  }

  /** The value under {@code key} of this mapping (possibly absent). */
  YamlNode get(String key) {
    return child(key);
  }

  private YamlNode child(String key) {
    boolean simple = SIMPLE_KEY.matcher(key).matches();
    String segment = simple ? key : "[" + quote(key) + "]";
    String childPath = path.isEmpty() || !simple ? path + segment : path + "." + segment;
    return new YamlNode(file, childPath, node == null ? null : node.get(key));
  }

  /** The entries of a mapping in file order (no key validation). */
  Map<String, YamlNode> entries() {
    if (!node.isObject()) {
      throw error("expected a mapping (key: value) but was " + describe());
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    node.fieldNames().forEachRemaining(k -> out.put(k, child(k)));
    return out;
  }

  /** The items of a list. */
  List<YamlNode> list() {
    if (!node.isArray()) {
      throw error("expected a list but was " + describe());
    }
    List<YamlNode> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(new YamlNode(file, path + "[" + i + "]", node.get(i)));
    }
    return out;
  }

  /** A non-empty string scalar. */
  String string() {
    required();
    if (!node.isTextual()) {
      throw error("expected a string but was " + describe() + (node.isValueNode() ? " (quote it)" : ""));
    }
    if (node.textValue().isBlank()) {
      throw error("expected a non-empty string but was \"\"");
    }
    return node.textValue();
  }

  String stringOr(String fallback) {
    return isAbsent() ? fallback : string();
  }

  boolean isTextual() {
    return node != null && node.isTextual();
  }

  boolean isBoolean() {
    return node != null && node.isBoolean();
  }

  boolean booleanValue() {
    return node.booleanValue();
  }

  boolean isFalse() {
    return node != null && node.isBoolean() && !node.booleanValue();
  }

  boolean isIntegral() {
    return node != null && node.isIntegralNumber();
  }

  boolean isNumber() {
    return node != null && node.isNumber();
  }

  /** The raw integral value (callers check {@link #isIntegral()} first). */
  long longValue() {
    if (!node.canConvertToLong()) {
      throw error("number out of range: " + node.asText());
    }
    return node.longValue();
  }

  double doubleValue() {
    return node.doubleValue();
  }

  /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
  int intIn(int min, int max, int fallback) {
    if (isAbsent()) {
      return fallback;
    }
    if (!node.isIntegralNumber()) {
      throw error("expected an integer but was " + describe());
    }
    long v = node.canConvertToLong() ? node.longValue() : Long.MAX_VALUE;
    if (v < min || v > max) {
      throw error("expected an integer in " + min + ".." + max + " but was " + node.asText());
    }
    return (int) v;
  }

  /** What this node is, for error messages: {@code a string "abc"}, {@code a list}, ... */
  String describe() {
    if (isAbsent()) {
      return "empty (null)";
    }
    if (node.isTextual()) {
      return "a string " + quote(node.textValue());
    }
    if (node.isIntegralNumber()) {
      return "an integer (" + node.asText() + ")";
    }
    if (node.isNumber()) {
      return "a number (" + node.asText() + ")";
    }
    if (node.isBoolean()) {
      return "a boolean (" + node.asText() + ")";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  static String quote(String s) {
    String shown = s.length() > MAX_SHOWN_CHARS ? s.substring(0, MAX_SHOWN_CHARS) + "..." : s;
    return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
