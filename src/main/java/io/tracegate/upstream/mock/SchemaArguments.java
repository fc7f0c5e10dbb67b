package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a tool call's arguments from the tool's JSON schema and the user's text. Every required property is
 * filled (when an object lists none, its first property is), with a value of the schema's type that honours
 * {@code enum}, {@code const}, numeric bounds, string and array lengths, {@code anyOf}/{@code oneOf} (the first
 * non-null branch), {@code allOf} and local {@code $ref}s. Strings are drawn from the text by property name:
 * a place for {@code location}/{@code city}, a shell command for {@code command}, a path, a URL, an e-mail
 * address or a date when the text has one, else the request itself. Numbers are the text's numbers in order,
 * else 1; booleans are false. {@code pattern} and {@code format}s other than dates, e-mail, URI and UUID are
 * not honoured, nor lengths past {@link #MAX_STRING} / {@link #MAX_ITEMS} or schemas that need more than
 * {@link #MAX_NODES} values.
 */
final class SchemaArguments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern NAME_WORD = Pattern.compile("\\p{Lu}?\\p{Ll}+|\\p{Lu}+(?!\\p{Ll})|\\p{N}+");
    private static final Set<String> PLACE = Set.of("location", "city", "place", "country", "region", "town",
            "destination", "address", "origin", "area", "where");
    private static final Set<String> COMMAND = Set.of("command", "cmd", "script", "shell");
    private static final Set<String> PATH = Set.of("path", "file", "filename", "filepath", "dir", "directory", "folder");
    private static final Set<String> URL = Set.of("url", "uri", "link", "href", "website", "endpoint");
    private static final Set<String> EMAIL = Set.of("email", "mail");
    private static final Set<String> DATE = Set.of("date", "day");
    private static final int MAX_TEXT = 200;
    /** Below this depth optional arrays get one item; past the limit only what is required is built. */
    private static final int RICH_DEPTH = 4;
    private static final int MAX_DEPTH = 16;
    /**
     * Bounds on what one call builds, whatever the schema asks (this runs on an event loop): string length and
     * array length requests are capped, and past {@code MAX_NODES} values the rest are null.
     */
    static final int MAX_STRING = 4096;
    static final int MAX_ITEMS = 64;
    static final int MAX_NODES = 2048;

    private final JsonNode root;
    private final UserText text;
    private final List<Double> numbers;
    private int nextNumber;
    private int nodes;

    private SchemaArguments(JsonNode root, UserText text) {
        this.root = root;
        this.text = text;
        this.numbers = text.numbers();
    }

    /** The arguments object for a tool whose {@code parameters} schema is given (missing: no properties). */
    static ObjectNode fill(JsonNode parameters, UserText text) {
        JsonNode value = new SchemaArguments(parameters, text).value(parameters, "", 0);
        return value instanceof ObjectNode o ? o : NODES.objectNode();
    }

    private JsonNode value(JsonNode schema, String name, int depth) {
        if (++nodes > MAX_NODES) {
            return NODES.nullNode();
        }
        schema = resolve(schema);
        if (schema == null || !schema.isObject() || depth > 2 * MAX_DEPTH) {
            return NODES.textNode(string(NODES.objectNode(), name));
        }
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        for (String keyword : new String[] {"anyOf", "oneOf"}) {
            if (schema.path(keyword).isArray() && !schema.get(keyword).isEmpty()) {
                return value(folded(schema, keyword, List.of(firstNonNull(schema.get(keyword)))), name, depth + 1);
            }
        }
        if (schema.path("allOf").isArray() && !schema.get("allOf").isEmpty()) {
            return value(folded(schema, "allOf", schema.get("allOf")), name, depth + 1);
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return enumValue(schema.get("enum"));
        }
        return switch (type(schema)) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, name, depth);
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> NODES.booleanNode(false);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(string(schema, name));
        };
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode out = NODES.objectNode();
        if (depth >= MAX_DEPTH) {
            return out;
        }
        JsonNode properties = schema.path("properties");
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode r : schema.path("required")) {
            names.add(r.asText());
        }
        if (names.isEmpty() && depth < RICH_DEPTH) {
            Iterator<String> it = properties.fieldNames();
            if (it.hasNext()) {
                names.add(it.next());
            }
        }
        for (String n : names) {
            out.set(n, value(properties.get(n), n, depth + 1));
        }
        return out;
    }

    private JsonNode array(JsonNode schema, String name, int depth) {
        int count = Math.min(MAX_ITEMS, schema.path("minItems").asInt(0));
        if (count == 0 && depth < RICH_DEPTH) {
            count = 1;
        }
        if (schema.has("maxItems")) {
            count = Math.min(count, schema.get("maxItems").asInt());
        }
        ArrayNode out = NODES.arrayNode();
        JsonNode items = schema.has("prefixItems") ? schema.get("prefixItems") : schema.get("items");
        String itemName = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
        for (int i = 0; i < count && depth < MAX_DEPTH; i++) {
            JsonNode itemSchema = items != null && items.isArray()
                    ? items.path(Math.min(i, items.size() - 1)) : items;
            out.add(value(itemSchema, itemName, depth + 1));
        }
        return out;
    }

    private JsonNode integer(JsonNode schema) {
        double v = nextNumberOr(1);
        long lo = schema.has("minimum") ? (long) Math.ceil(schema.get("minimum").asDouble()) : Long.MIN_VALUE;
        long hi = schema.has("maximum") ? (long) Math.floor(schema.get("maximum").asDouble()) : Long.MAX_VALUE;
        if (schema.path("exclusiveMinimum").isNumber()) {
            lo = Math.max(lo, (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1);
        } else if (schema.path("exclusiveMinimum").asBoolean(false) && lo != Long.MIN_VALUE) {
            lo++;
        }
        if (schema.path("exclusiveMaximum").isNumber()) {
            hi = Math.min(hi, (long) Math.ceil(schema.get("exclusiveMaximum").asDouble()) - 1);
        } else if (schema.path("exclusiveMaximum").asBoolean(false) && hi != Long.MAX_VALUE) {
            hi--;
        }
        long n = Math.max(lo, Math.min(hi, Math.round(v)));
        return NODES.numberNode(n);
    }

    private JsonNode number(JsonNode schema) {
        double v = nextNumberOr(1);
        if (schema.has("minimum")) {
            v = Math.max(v, schema.get("minimum").asDouble());
        }
        if (schema.has("maximum")) {
            v = Math.min(v, schema.get("maximum").asDouble());
        }
        if (schema.path("exclusiveMinimum").isNumber() && v <= schema.get("exclusiveMinimum").asDouble()) {
            v = schema.get("exclusiveMinimum").asDouble() + 1;
        }
        if (schema.path("exclusiveMaximum").isNumber() && v >= schema.get("exclusiveMaximum").asDouble()) {
            v = schema.get("exclusiveMaximum").asDouble() - 1;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? NODES.numberNode((long) v) : NODES.numberNode(v);
    }

    private double nextNumberOr(double fallback) {
        return nextNumber < numbers.size() ? numbers.get(nextNumber++) : fallback;
    }

    private String string(JsonNode schema, String name) {
        String s = stringFor(schema.path("format").asText(""), words(name));
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        if (s.codePointCount(0, s.length()) > max) {
            s = s.substring(0, s.offsetByCodePoints(0, Math.max(0, max)));
        }
        int missing = Math.min(MAX_STRING, schema.path("minLength").asInt(0)) - s.codePointCount(0, s.length());
        return missing > 0 ? s + "x".repeat(missing) : s;
    }

    private String stringFor(String format, Set<String> nameWords) {
        switch (format) {
            case "date-time" -> {
                return or(text.date(), "2025-01-01") + "T00:00:00Z";
            }
            case "date" -> {
                return or(text.date(), "2025-01-01");
            }
            case "email" -> {
                return or(text.email(), "user@example.com");
            }
            case "uri", "url", "iri" -> {
                return or(text.url(), "https://example.com");
            }
            case "uuid" -> {
                return "00000000-0000-4000-8000-000000000000";
            }
            default -> {
                // the property's name decides
            }
        }
        if (intersects(nameWords, PLACE)) {
            return or(text.place(), fallbackText());
        }
        if (intersects(nameWords, COMMAND)) {
            return text.command();
        }
        if (intersects(nameWords, URL)) {
            return or(text.url(), "https://example.com");
        }
        if (intersects(nameWords, EMAIL)) {
            return or(text.email(), "user@example.com");
        }
        if (intersects(nameWords, PATH)) {
            return or(text.path(), ".");
        }
        if (intersects(nameWords, DATE)) {
            return or(text.date(), "2025-01-01");
        }
        return or(text.quoted(), fallbackText());
    }

    private String fallbackText() {
        return text.isBlank() ? "mock" : text.head(MAX_TEXT);
    }

    private JsonNode enumValue(JsonNode values) {
        String lower = " " + text.text().toLowerCase(Locale.ROOT) + " ";
        for (JsonNode v : values) {
            if (v.isTextual() && !v.asText().isEmpty()) {
                Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(v.asText().toLowerCase(Locale.ROOT))
                        + "(?![\\p{L}\\p{N}])").matcher(lower);
                if (m.find()) {
                    return v.deepCopy();
                }
            }
        }
        return values.get(0).deepCopy();
    }

    /** The first type of {@code type} that is not "null", or what the keywords imply. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray() && !type.isEmpty()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (schema.has("properties")) {
            return "object";
        }
        return schema.has("items") || schema.has("prefixItems") ? "array" : "string";
    }

    /** Follows local references ({@code #/$defs/x}, {@code #/definitions/x}); null for an unresolved one. */
    private JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema != null && schema.path("$ref").isTextual() && hops++ < MAX_DEPTH) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#") || root == null) {
                return null;
            }
            JsonNode target = root.at(ref.substring(1));
            schema = target.isMissingNode() ? null : target;
        }
        return schema;
    }

    private JsonNode firstNonNull(JsonNode branches) {
        for (JsonNode b : branches) {
            JsonNode r = resolve(b);
            if (r != null && !"null".equals(r.path("type").asText())) {
                return b;
            }
        }
        return branches.get(0);
    }

    /**
     * {@code parent} without {@code keyword} and with {@code branches} folded in: their properties and required
     * lists united with the parent's, their other keywords added where the parent has none. So the branch an
     * {@code anyOf} picks keeps the parent's type and properties, and an {@code allOf} becomes one schema.
     */
    private JsonNode folded(JsonNode parent, String keyword, Iterable<JsonNode> branches) {
        ObjectNode out = parent.deepCopy();
        out.remove(keyword);
        ObjectNode properties = out.get("properties") instanceof ObjectNode p ? p : NODES.objectNode();
        ArrayNode required = out.get("required") instanceof ArrayNode r ? r : NODES.arrayNode();
        for (JsonNode branch : branches) {
            JsonNode b = resolve(branch);
            if (b == null || !b.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : b.properties()) {
                switch (e.getKey()) {
                    case "properties" -> e.getValue().properties().forEach(p -> properties.putIfAbsent(p.getKey(), p.getValue()));
                    case "required" -> e.getValue().forEach(required::add);
                    default -> out.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        if (!properties.isEmpty()) {
            out.set("properties", properties);
        }
        if (!required.isEmpty()) {
            out.set("required", required);
        }
        return out;
    }

    private static Set<String> words(String name) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NAME_WORD.matcher(name);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        out.add(name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", ""));
        return out;
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String s : a) {
            if (b.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
