package io.tracegate.upstream.mock;

import java.util.List;

/**
 * What the mock answers a request with: a text, or one call of a tool with its JSON arguments.
 *
 * @param text the answer text ({@code null} for a tool call)
 * @param toolName the tool called ({@code null} for a text)
 * @param arguments the call's arguments as JSON text ({@code null} for a text)
 */
record MockReply(String text, String toolName, String arguments) {

    private static final int SUBJECT = 40;
    private static final int RESULT = 80;

    static MockReply text(String text) {
        return new MockReply(text, null, null);
    }

    static MockReply toolCall(String toolName, String arguments) {
        return new MockReply(null, toolName, arguments);
    }

    boolean isToolCall() {
        return toolName != null;
    }

    /** The answer to a user message: {@code Mock answer to: <its first 40 characters>. This reply is deterministic.} */
    static MockReply answer(UserText userText) {
        if (userText.isBlank()) {
            return text("Mock answer. This reply is deterministic.");
        }
        return text("Mock answer to: " + userText.head(SUBJECT) + ". This reply is deterministic.");
    }

    /** The answer after tool results: one sentence per result, {@code The <tool> tool returned: <its start>.} */
    static MockReply toolResults(List<Conversation.ToolResult> results) {
        StringBuilder sb = new StringBuilder();
        for (Conversation.ToolResult r : results) {
            String name = r.toolName() == null ? "The tool" : "The " + r.toolName() + " tool";
            UserText content = UserText.of(r.content());
            sb.append(sb.length() == 0 ? "" : " ").append(name);
            if (content.isBlank()) {
                sb.append(" returned no output.");
                continue;
            }
            String head = content.head(RESULT);
            sb.append(" returned: ").append(head);
            if (head.length() < content.text().length()) {
                sb.append("...");
            } else if (!head.endsWith(".") && !head.endsWith("!") && !head.endsWith("?")) {
                sb.append('.');
            }
        }
        return text(sb.toString());
    }

    /** The continuation of a completions prompt: {@code  and this is a mock completion of "<its last 40 characters>".} */
    static MockReply completion(String prompt) {
        String flat = prompt.strip().replaceAll("\\s+", " ");
        int cps = flat.codePointCount(0, flat.length());
        String tail = cps <= SUBJECT ? flat : flat.substring(flat.offsetByCodePoints(0, cps - SUBJECT));
        return text(" and this is a mock completion of \"" + tail + "\".");
    }
}
