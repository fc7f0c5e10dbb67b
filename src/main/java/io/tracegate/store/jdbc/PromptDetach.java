package io.tracegate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Before spans are deleted (retention), the kept spans whose prompt is stored as a suffix of one of them get
 * their whole prompt back, in the same transaction, so deleting a base never loses another span's token ids.
 */
public final class PromptDetach {

  private static final int IN_CHUNK = 400;

  private PromptDetach() {}

  /** Rewrites whole the prompts of spans (not in {@code deleted}) that extend one of {@code deleted}. */
  public static void dependentsOf(Connection c, Collection<String> deletedIds) throws SQLException {
    List<String> ids = List.copyOf(deletedIds);
    Set<String> deleted = Set.copyOf(ids);
    List<String> dependents = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT span_id FROM spans WHERE prompt_base_span_id IN (" + marks + ")")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!deleted.contains(rs.getString(1))) {
              dependents.add(rs.getString(1));
            }
          }
        }
      }
    }
    TokenResolver resolver = new TokenResolver(c);
    List<int[]> prompts = new ArrayList<>();
    for (String id : dependents) {
      prompts.add(resolver.prompt(id)); // all read before any is rewritten
    }
    try (PreparedStatement detach = c.prepareStatement("UPDATE spans SET prompt_token_ids = ?,"
        + " prompt_base_span_id = NULL, prompt_prefix_len = 0 WHERE span_id = ?")) {
      for (int i = 0; i < dependents.size(); i++) {
        detach.setBytes(1, PackedArrays.encodeVarints(prompts.get(i)));
        detach.setString(2, dependents.get(i));
        detach.executeUpdate();
      }
    }
  }
}
