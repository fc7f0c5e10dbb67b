package io.tracegate.upstream.mock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's latest request as the mock reads it: the text without agent boilerplate (Claude Code's
 * {@code <system-reminder>} blocks), and the few things a tool call's arguments are drawn from: a place, a
 * shell command, a path, a URL, an e-mail address, a date, numbers, quoted text and words.
 */
final class UserText {

    private static final String REMINDER_OPEN = "<system-reminder>";
    private static final String REMINDER_CLOSE = "</system-reminder>";
    /**
     * How much of the request the mock reads (chars, after reminders are removed): enough for any request a demo
     * sends, and it keeps the work per call bounded whatever a client sends (this runs on an event loop).
     */
    static final int MAX_CHARS = 16 * 1024;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern QUOTED = Pattern.compile(
            "`([^`]+)`|\"([^\"]+)\"|\u201c([^\u201d]+)\u201d|(?<![\\p{L}\\p{N}])'([^']+)'(?![\\p{L}\\p{N}])");
    /** A preposition and up to four words after it; "in"/"at"/"near" name places more often than the others. */
    private static final Pattern STRONG_PLACE = Pattern.compile(
            "(?iu)\\b(?:in|at|near)\\s+(\\p{L}[\\p{L}'.-]*(?:\\s+\\p{L}[\\p{L}'.-]*){0,3})");
    private static final Pattern WEAK_PLACE = Pattern.compile(
            "(?iu)\\b(?:for|from|to|of)\\s+(\\p{L}[\\p{L}'.-]*(?:\\s+\\p{L}[\\p{L}'.-]*){0,3})");
    private static final Pattern CAPITALISED = Pattern.compile("\\b\\p{Lu}[\\p{L}'-]*(?:\\s+\\p{Lu}[\\p{L}'-]*)*");
    /** Words that end (or cannot start) a place name. */
    private static final Set<String> NOT_PLACE = Set.of(
            "the", "a", "an", "today", "tomorrow", "tonight", "yesterday", "now", "right", "please", "this", "that",
            "next", "last", "week", "weekend", "morning", "afternoon", "evening", "night", "currently", "like", "and",
            "or", "is", "are", "be", "with", "on", "at", "in", "for", "me", "my", "us", "you", "it", "there", "here",
            "what", "how", "when", "weather", "forecast", "temperature", "celsius", "fahrenheit", "general", "example",
            "instance", "sure", "real", "time", "days", "day", "hours", "minutes", "know", "see", "check", "get",
            "find", "do", "go", "use", "run");
    /** Capitalised words that start sentences rather than name places. */
    private static final Set<String> SENTENCE_STARTS = Set.of(
            "what", "whats", "what's", "how", "is", "are", "tell", "please", "can", "could", "would", "give", "show",
            "the", "i", "get", "find", "run", "list", "read", "write", "hi", "hello", "hey", "do", "does", "will",
            "who", "when", "where", "why", "which", "check", "look", "use", "call", "search", "create", "make");
    private static final Pattern RUN = Pattern.compile("(?iu)\\b(?:run|execute|exec)\\s+(?:the\\s+command\\s+)?([^\\n]+)");
    /** What follows "run" is prose, not a command ("run the tests"). */
    private static final Pattern PROSE = Pattern.compile("(?iu)(?:the|a|an|my|this|these|that|those|some|all|it)\\b");
    private static final Pattern LIST = Pattern.compile("(?iu)\\blist\\b");
    private static final Pattern FILES = Pattern.compile("(?iu)\\b(?:files?|director(?:y|ies)|folders?)\\b");
    private static final Pattern PATH = Pattern.compile(
            "(?<![\\p{L}\\p{N}\\w/:.~-])(?:~|\\.{1,2})?/?[\\w.-]++(?:/[\\w.-]+)+/?"
            + "|(?<![\\p{L}\\p{N}\\w/:.-])[\\w-]++\\.[A-Za-z][A-Za-z0-9]{0,7}\\b");
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>`]+");
    private static final Pattern EMAIL = Pattern.compile("(?<![\\w.+-])[\\w.+-]++@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\p{L}\\p{N}.])(?:(?<![^\\s(\\[=:,+*/])-)?\\d+(?:\\.\\d+)?");
    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}'\"";

    private final String text;

    private UserText(String text) {
        this.text = text;
    }

    /**
     * The text without {@code <system-reminder>} blocks, with runs of whitespace made one space, cut to
     * {@link #MAX_CHARS}.
     */
    static UserText of(String raw) {
        String cleaned = raw == null ? "" : withoutReminders(raw).strip().replaceAll("\\s+", " ");
        if (cleaned.length() > MAX_CHARS) {
            int end = Character.isHighSurrogate(cleaned.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
            cleaned = cleaned.substring(0, end);
        }
        return new UserText(cleaned);
    }

    /** Each closed {@code <system-reminder>...</system-reminder>} block replaced by a space, in one pass. */
    private static String withoutReminders(String raw) {
        int open = raw.indexOf(REMINDER_OPEN);
        if (open < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int from = 0;
        while (open >= 0) {
            int close = raw.indexOf(REMINDER_CLOSE, open + REMINDER_OPEN.length());
            if (close < 0) {
                break;
            }
            out.append(raw, from, open).append(' ');
            from = close + REMINDER_CLOSE.length();
            open = raw.indexOf(REMINDER_OPEN, from);
        }
        return out.append(raw, from, raw.length()).toString();
    }

    /** The cleaned text (may be empty). */
    String text() {
        return text;
    }

    boolean isBlank() {
        return text.isEmpty();
    }

    /** The cleaned text cut to {@code max} code points. */
    String head(int max) {
        return text.codePointCount(0, text.length()) <= max ? text : text.substring(0, text.offsetByCodePoints(0, max));
    }

    /** The distinct lower-case words, in order. */
    Set<String> words() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The first back-ticked or quoted text, or {@code null}. */
    String quoted() {
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null && !m.group(g).isBlank()) {
                    return m.group(g).strip();
                }
            }
        }
        return null;
    }

    /**
     * The place the text mentions, in title case: words after "in", "at" or "near" (else "for", "from", "to",
     * "of") up to the first word that cannot be part of a place name; else a capitalised phrase that does not
     * just start the sentence; else {@code null}. "weather in new york today" gives "New York".
     */
    String place() {
        for (Pattern p : new Pattern[] {STRONG_PLACE, WEAK_PLACE}) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String place = leadingPlaceWords(m.group(1));
                if (place != null) {
                    return titleCase(place);
                }
            }
        }
        Matcher m = CAPITALISED.matcher(text);
        while (m.find()) {
            List<String> words = new ArrayList<>(List.of(m.group().split("\\s+")));
            while (!words.isEmpty() && SENTENCE_STARTS.contains(words.get(0).toLowerCase(Locale.ROOT))) {
                words.remove(0);
            }
            if (!words.isEmpty()) {
                return String.join(" ", words);
            }
        }
        return null;
    }

    private static String leadingPlaceWords(String phrase) {
        List<String> kept = new ArrayList<>();
        for (String w : phrase.split("\\s+")) {
            String bare = strip(w);
            if (bare.isEmpty() || NOT_PLACE.contains(bare.toLowerCase(Locale.ROOT))) {
                break;
            }
            kept.add(bare);
            if (!bare.equals(w)) {
                break; // "paris," or "rome?" ends the name
            }
        }
        return kept.isEmpty() ? null : String.join(" ", kept);
    }

    private static String titleCase(String words) {
        StringBuilder sb = new StringBuilder(words.length());
        for (String w : words.split(" ")) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            int first = w.codePointAt(0);
            sb.appendCodePoint(Character.toTitleCase(first)).append(w.substring(Character.charCount(first)));
        }
        return sb.toString();
    }

    /**
     * A shell command for the request: quoted or back-ticked text; else what follows "run" or "execute" unless
     * it reads as prose ("run the tests");
     * {@code ls} for a request to list files; else an {@code echo} of the request.
     */
    String command() {
        String quoted = quoted();
        if (quoted != null) {
            return quoted;
        }
        Matcher m = RUN.matcher(text);
        if (m.find()) {
            String rest = strip(m.group(1).replaceFirst("(?iu)\\s+(?:please|for me|now)[.!?]*$", ""));
            if (!rest.isEmpty() && !PROSE.matcher(rest).lookingAt()) {
                return rest;
            }
        }
        Matcher list = LIST.matcher(text);
        if (list.find() && FILES.matcher(text).region(list.end(), text.length()).find()) {
            return "ls";
        }
        return "echo '" + head(80).replace("'", "'\\''") + "'";
    }

    /** The first path-like word (with a slash or a file extension; not in a URL or e-mail address), else {@code null}. */
    String path() {
        Matcher m = PATH.matcher(without(URL, EMAIL));
        return m.find() ? strip(m.group()) : null;
    }

    String url() {
        Matcher m = URL.matcher(text);
        return m.find() ? strip(m.group()) : null;
    }

    String email() {
        Matcher m = EMAIL.matcher(text);
        return m.find() ? m.group() : null;
    }

    String date() {
        Matcher m = DATE.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** The numbers in the text, in order ("2+3" gives 2 and 3), except those in URLs, addresses, dates and paths. */
    List<Double> numbers() {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(without(URL, EMAIL, DATE, PATH));
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out;
    }

    /** The text with each match of the patterns (applied in order) replaced by a space. */
    private String without(Pattern... patterns) {
        String out = text;
        for (Pattern p : patterns) {
            out = p.matcher(out).replaceAll(" ");
        }
        return out;
    }

    /** {@code s} without trailing punctuation. */
    private static String strip(String s) {
        int end = s.length();
        while (end > 0 && TRAILING_PUNCTUATION.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end).strip();
    }

    @Override
    public String toString() {
        return text;
    }
}
