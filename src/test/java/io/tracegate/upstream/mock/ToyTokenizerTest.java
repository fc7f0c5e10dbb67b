package io.tracegate.upstream.mock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToyTokenizerTest {

    @Test
    void tokensPartitionTheText() {
        String text = "Hello, world!  It's 42°C\n\nin Zürich 🙂 ok.";
        assertThat(String.join("", ToyTokenizer.split(text))).isEqualTo(text);
        assertThat(ToyTokenizer.split("Hello, world!")).containsExactly("Hello", ",", " world", "!");
        assertThat(ToyTokenizer.split("")).isEmpty();
    }

    @Test
    void idsAreStableAndInRange() {
        assertThat(ToyTokenizer.id(" world")).isEqualTo(ToyTokenizer.id(" world"));
        assertThat(ToyTokenizer.id(" world")).isNotEqualTo(ToyTokenizer.id("world"));
        for (String t : ToyTokenizer.split("a b c d e f g h i j k l m n o p q r s t u v w x y z 🙂")) {
            assertThat(ToyTokenizer.id(t)).isBetween(ToyTokenizer.MIN_ID, ToyTokenizer.MIN_ID + ToyTokenizer.VOCAB - 1);
        }
        assertThat(ToyTokenizer.encode("Hi there")).hasSize(2);
    }
}
