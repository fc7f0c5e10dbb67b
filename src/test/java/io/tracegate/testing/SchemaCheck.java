package io.tracegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A small JSON Schema checker for tests: the keywords tool schemas use (type and type lists, required,
 * properties, additionalProperties false, items and prefixItems, enum, const, minimum/maximum and their
 * exclusive forms, minLength/maxLength, minItems/maxItems, anyOf/oneOf/allOf, local $ref). Returns what is
 * wrong, as "path: problem" lines; empty when the value is valid.
 */
public final class SchemaCheck {
  private final JsonNode root;
  private final List<String> problems = new ArrayList<>();

  private SchemaCheck(JsonNode root) {
    this.root = root;
  }

  public static List<String> problems(JsonNode schema, JsonNode value) {
    SchemaCheck c = new SchemaCheck(schema);
    c.check(schema, value, "$");
    return c.problems;
  }

  private void check(JsonNode schema, JsonNode value, String path) {
    while (schema != null && schema.path("$ref").isTextual()) {
      schema = root.at(schema.get("$ref").asText().substring(1));
    }
    if (schema == null || !schema.isObject()) {
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      problems.add(path + ": not the const " + schema.get("const"));
    }
    if (schema.path("enum").isArray() && !contains(schema.get("enum"), value)) {
      problems.add(path + ": " + value + " not in enum " + schema.get("enum"));
    }
    for (String key : new String[] {"anyOf", "oneOf"}) {
      if (schema.path(key).isArray()) {
        boolean any = false;
        for (JsonNode branch : schema.get(key)) {
          any |= problems(root, branch, value).isEmpty();
        }
        if (!any) {
          problems.add(path + ": matches no branch of " + key);
        }
      }
    }
    for (JsonNode branch : schema.path("allOf")) {
      check(branch, value, path);
    }
    JsonNode type = schema.get("type");
    if (type != null && !typeMatches(type, value)) {
      problems.add(path + ": " + value + " is not of type " + type);
      return;
    }
    if (value.isObject()) {
      for (JsonNode r : schema.path("required")) {
        if (!value.has(r.asText())) {
          problems.add(path + ": required property '" + r.asText() + "' missing");
        }
      }
      JsonNode properties = schema.path("properties");
      for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (properties.has(name)) {
          check(properties.get(name), value.get(name), path + "." + name);
        } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
          problems.add(path + ": property '" + name + "' not allowed");
        }
      }
    } else if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        problems.add(path + ": fewer than minItems");
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        problems.add(path + ": more than maxItems");
      }
      for (int i = 0; i < value.size(); i++) {
        JsonNode items = schema.has("prefixItems") && i < schema.get("prefixItems").size()
            ? schema.get("prefixItems").get(i) : schema.get("items");
        check(items, value.get(i), path + "[" + i + "]");
      }
    } else if (value.isNumber()) {
      double v = value.asDouble();
      if (schema.has("minimum") && v < schema.get("minimum").asDouble()
          || schema.has("maximum") && v > schema.get("maximum").asDouble()
          || schema.path("exclusiveMinimum").isNumber() && v <= schema.get("exclusiveMinimum").asDouble()
          || schema.path("exclusiveMaximum").isNumber() && v >= schema.get("exclusiveMaximum").asDouble()) {
        problems.add(path + ": " + v + " out of bounds");
      }
    } else if (value.isTextual()) {
      int length = value.asText().codePointCount(0, value.asText().length());
      if (schema.has("minLength") && length < schema.get("minLength").asInt()
          || schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
        problems.add(path + ": length " + length + " out of bounds");
      }
    }
  }

  private static List<String> problems(JsonNode root, JsonNode schema, JsonNode value) {
    SchemaCheck c = new SchemaCheck(root);
    c.check(schema, value, "$");
    return c.problems;
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode v : array) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
