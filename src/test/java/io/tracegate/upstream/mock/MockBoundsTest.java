package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The mock runs on an event loop, so the work one request makes it do is bounded whatever the request holds:
 * tool schemas that ask for huge or endless values, and user texts built to make its regexes backtrack. Each of
 * these took minutes (or ran out of memory) before the bounds; the deadline is far above what they take now.
 */
class MockBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    private static int count(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += count(child);
        }
        return n;
    }

    @Test
    void schemasAskingForHugeValuesGetCappedOnes() throws Exception {
        JsonNode schema = json("{'type':'object','required':['s','a'],'properties':{"
                + "'s':{'type':'string','minLength':2147483647},"
                + "'a':{'type':'array','minItems':100000000,'items':{'type':'integer'}}}}");
        ObjectNode args = assertTimeoutPreemptively(DEADLINE, () -> SchemaArguments.fill(schema, UserText.of("go")));
        assertThat(args.get("s").asText()).hasSize(SchemaArguments.MAX_STRING).startsWith("go");
        assertThat(args.get("a")).hasSize(SchemaArguments.MAX_ITEMS);
    }

    @Test
    void aSchemaThatRefersToItselfThreeTimesStopsAtTheNodeBudget() throws Exception {
        JsonNode schema = json("{'type':'object','required':['a','b','c'],'properties':{"
                + "'a':{'$ref':'#'},'b':{'$ref':'#'},'c':{'$ref':'#'}}}");
        ObjectNode args = assertTimeoutPreemptively(DEADLINE, () -> SchemaArguments.fill(schema, UserText.of("go")));
        assertThat(count(args)).as("3^16 before the budget").isLessThan(2 * SchemaArguments.MAX_NODES);
        assertThat(args.fieldNames()).toIterable().containsExactly("a", "b", "c");
    }

    @Test
    void textsThatMakeRegexesBacktrackAreReadInLinearTime() {
        String token = "a".repeat(300_000); // no '@', no '/', no '.': the e-mail and path patterns' worst case
        String dashes = "_-".repeat(150_000);
        String lists = "list ".repeat(60_000);
        String reminders = "<system-reminder> ".repeat(50_000); // never closed
        for (String text : new String[] {token, dashes, lists + "x", reminders + "hello"}) {
            UserText parsed = assertTimeoutPreemptively(DEADLINE, () -> UserText.of(text));
            assertTimeoutPreemptively(DEADLINE, () -> {
                parsed.numbers();
                parsed.path();
                parsed.email();
                parsed.command();
                parsed.place();
            });
            assertThat(parsed.text().length()).isLessThanOrEqualTo(UserText.MAX_CHARS);
        }
    }

    @Test
    void closedRemindersAreRemovedAndWhatFollowsIsKept() {
        assertThat(UserText.of("<system-reminder>a</system-reminder> run ls <system-reminder>b</system-reminder>!")
                .text()).isEqualTo("run ls !");
        assertThat(UserText.of("hi <system-reminder>never closed").text()).isEqualTo("hi <system-reminder>never closed");
        assertThat(UserText.of("mail me at a.b+c@example.org or see ./src/main/App.java").email())
                .isEqualTo("a.b+c@example.org");
        assertThat(UserText.of("mail me at a.b+c@example.org or see ./src/main/App.java").path())
                .isEqualTo("./src/main/App.java");
    }
}
