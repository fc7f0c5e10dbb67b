package io.tracegate.protocol.translate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the distinct kinds of input a translation could not express, in first-seen order, so a
 * span can say exactly what the backend never saw (each kind once, however often it occurred).
 */
final class DropList {

    private final Set<String> kinds = new LinkedHashSet<>();

    void add(String kind) {
        kinds.add(kind);
    }

    List<String> toList() {
        return List.copyOf(kinds);
    }
}
