package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A virtual key as stored: never its secret, only the SHA-256 of it (hex).
 *
 * @param models globs of the frontend model names the key may use; null: any
 * @param rpm requests per minute; null: unlimited
 * @param tpm tokens (input + output) per minute; null: unlimited
 * @param budgetUsd spend limit in USD over the key's life, from the cost of its spans; null: unlimited
 * @param expiresUnixNano when the key stops working; null: never
 * @param revokedUnixNano when it was revoked; null: live
 */
public record StoredKey(String id, String name, String secretSha256, List<String> models, Integer rpm, Long tpm,
    Double budgetUsd, Long expiresUnixNano, JsonNode metadata, long createdUnixNano, Long revokedUnixNano) {

  public StoredKey {
    models = models == null ? null : List.copyOf(models);
  }

  public boolean revoked() {
    return revokedUnixNano != null;
  }

  public StoredKey revokedAt(long unixNano) {
    return new StoredKey(id, name, secretSha256, models, rpm, tpm, budgetUsd, expiresUnixNano, metadata,
        createdUnixNano, unixNano);
  }
}
