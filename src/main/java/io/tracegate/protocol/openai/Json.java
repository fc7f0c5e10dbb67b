package io.tracegate.protocol.openai;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Shared, thread-safe Jackson singletons for the protocol package. */
final class Json {

    static final JsonFactory FACTORY = JsonLimits.factory();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }
}
