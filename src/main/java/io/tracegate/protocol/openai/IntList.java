package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Arrays;

/** Growable primitive int list, for token ids accumulated across stream chunks. */
final class IntList {
    private int[] values = new int[32];
    private int size;

    void addAll(JsonNode array) {
        int n = array.size();
        if (size + n > values.length) {
            values = Arrays.copyOf(values, Math.max(size + n, values.length * 2));
        }
        for (int i = 0; i < n; i++) {
            values[size++] = array.get(i).asInt();
        }
    }

    ArrayNode toArrayNode() {
        ArrayNode out = Json.NODES.arrayNode(size);
        for (int i = 0; i < size; i++) {
            out.add(values[i]);
        }
        return out;
    }
}
