package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses which of the request's tools the mock calls, from the user's latest text: the tool's name in the
 * text counts most, then the words of its name ({@code get_weather}: "weather"), then simple synonyms of those
 * words ("run" or "echo" for {@code Bash}), then words of its description. The best score wins, ties go to
 * the earlier tool. Nothing in common means no tool, unless a call is required: then the first tool.
 */
final class ToolPicker {

    /** A function tool as the request declares it. */
    record Tool(String name, String description, JsonNode parameters) {
    }

    private static final Pattern NAME_WORD = Pattern.compile("\\p{Lu}?\\p{Ll}+|\\p{Lu}+(?!\\p{Ll})|\\p{N}+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    /** "2+3", "6 * 7": the text asks for arithmetic. */
    private static final Pattern ARITHMETIC = Pattern.compile("\\d\\s*[-+*/\u00d7\u00f7^]\\s*\\d");
    /** Name words that say little about what a tool is for. */
    private static final Set<String> GENERIC = Set.of(
            "get", "set", "list", "fetch", "create", "update", "delete", "do", "make", "run", "call", "use", "tool",
            "my", "the", "a", "to", "of", "for", "by", "and", "new", "current", "info", "data");
    private static final Set<String> STOPWORDS = Set.of(
            "the", "and", "for", "with", "that", "this", "from", "your", "you", "are", "can", "will", "use", "when",
            "what", "which", "into", "have", "has", "not", "but", "all", "any", "its", "it's", "was", "were", "been",
            "also", "only", "then", "than", "them", "they", "there", "here", "should", "would", "could", "about",
            "please", "tell", "give", "show", "some", "more", "most", "other", "such", "each", "like", "just", "how");
    private static final List<Set<String>> SYNONYMS = List.of(
            Set.of("weather", "forecast", "temperature", "rain", "sunny", "hot", "cold", "climate", "wind", "humidity"),
            Set.of("bash", "shell", "terminal", "command", "cmd", "run", "execute", "exec", "echo", "ls", "script",
                    "sh", "list", "files", "directory", "folder"),
            Set.of("read", "open", "cat", "view", "show", "contents", "display", "print"),
            Set.of("write", "create", "save", "new"),
            Set.of("edit", "modify", "change", "replace", "update", "fix", "patch"),
            Set.of("search", "find", "lookup", "look", "query", "grep", "glob", "locate"),
            Set.of("time", "clock", "date", "now", "today", "hour"),
            Set.of("add", "sum", "plus", "total", "calculate", "calculator", "math", "compute", "multiply", "divide",
                    "subtract", "minus"),
            Set.of("file", "files", "directory", "folder", "dir", "path"),
            Set.of("web", "internet", "browse", "url", "website", "fetch", "download", "http", "page"),
            Set.of("email", "mail", "send", "message"),
            Set.of("todo", "task", "tasks", "plan"));
    private static final int MAX_DESCRIPTION_SCORE = 5;

    private ToolPicker() {
    }

    /** The function tools of a Chat Completions request ({@code tools[].function}), in order. */
    static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        for (JsonNode t : tools == null ? JsonNodeFactory.instance.arrayNode() : tools) {
            JsonNode fn = t.path("function");
            if (fn.path("name").isTextual()) {
                out.add(new Tool(fn.get("name").asText(), fn.path("description").asText(""), fn.path("parameters")));
            }
        }
        return out;
    }

    /**
     * The tool to call when a call is required: {@code forced} when it names one of {@code tools}, else the best
     * match for the text, else the first tool.
     *
     * @param tools not empty
     */
    static Tool pick(List<Tool> tools, String forced, UserText text) {
        for (Tool t : tools) {
            if (t.name().equals(forced)) {
                return t;
            }
        }
        return match(tools, text).orElse(tools.get(0));
    }

    /** The tool the text is about: the best score above zero (the earlier tool on a tie), or none. */
    static Optional<Tool> match(List<Tool> tools, UserText text) {
        Set<String> words = stems(text.words());
        if (ARITHMETIC.matcher(text.text()).find()) {
            words.add("calculate");
        }
        String lower = text.text().toLowerCase(Locale.ROOT);
        Tool best = null;
        int bestScore = 0;
        for (Tool t : tools) {
            int score = score(t, lower, words);
            if (score > bestScore) {
                best = t;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int score(Tool tool, String lowerText, Set<String> textWords) {
        int score = 0;
        String name = tool.name().toLowerCase(Locale.ROOT);
        if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(name) + "(?![\\p{L}\\p{N}])").matcher(lowerText).find()) {
            score += 50;
        }
        for (String w : nameWords(tool.name())) {
            if (textWords.contains(w)) {
                score += GENERIC.contains(w) ? 3 : 20;
            } else if (!GENERIC.contains(w) && sharesSynonym(w, textWords)) {
                score += 10;
            }
        }
        int described = 0;
        for (String w : stems(words(tool.description()))) {
            if (w.length() >= 3 && !STOPWORDS.contains(w) && textWords.contains(w)) {
                described++;
            }
        }
        return score + Math.min(described, MAX_DESCRIPTION_SCORE);
    }

    /** {@code get_weather} gives get, weather; {@code ListAgents} gives list, agent. */
    private static Set<String> nameWords(String name) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NAME_WORD.matcher(name);
        while (m.find()) {
            out.add(stem(m.group().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private static boolean sharesSynonym(String nameWord, Set<String> textWords) {
        for (Set<String> group : SYNONYMS) {
            if (group.contains(nameWord)) {
                for (String w : textWords) {
                    if (group.contains(w)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Set<String> stems(Set<String> words) {
        Set<String> out = new LinkedHashSet<>(words);
        for (String w : words) {
            out.add(stem(w));
        }
        return out;
    }

    /** A crude singular: "files" gives "file", "agents" gives "agent"; short words and "ss" endings stay. */
    private static String stem(String w) {
        return w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w;
    }
}
