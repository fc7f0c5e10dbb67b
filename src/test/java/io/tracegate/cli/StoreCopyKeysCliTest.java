package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracegate store copy} carries virtual keys: keys made with {@code tracegate keys create} on a SQLite store
 * (one of them revoked) list the same on PostgreSQL after the copy, and back in a new SQLite file; a second copy
 * copies no key again.
 */
class StoreCopyKeysCliTest {

  @TempDir Path dir;

  @Test
  void keysAndRevocationsAreCopiedIntoPostgresAndBackOnce() throws Exception {
    Path sqlite = config("a", "store: { kind: sqlite, path: " + dir.resolve("a/a.db") + " }");
    CliProcess.ok("keys", "create", "--config", sqlite.toString(), "--name", "alice", "--models", "claude-*,gpt-4o",
        "--rpm", "60", "--tpm", "100000", "--budget-usd", "20", "--expires", "2099-01-01T00:00:00Z",
        "--metadata", "{\"team\":\"rl\"}");
    String bobId = CliProcess.ok("keys", "create", "--config", sqlite.toString(), "--name", "bob", "--json")
        .stream().filter(l -> l.contains("\"id\"")).findFirst().map(l -> l.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1"))
        .orElseThrow();
    CliProcess.ok("keys", "revoke", bobId, "--config", sqlite.toString());
    List<String> onSqlite = CliProcess.ok("keys", "list", "--config", sqlite.toString(), "--json");
    assertThat(String.join("\n", onSqlite)).contains("alice").contains(bobId).contains("\"revoked\"");

    StoreConfig pg = TestPostgres.newDatabase();
    Path postgres = config("pg", "store: { kind: postgres, url: \"" + pg.url() + "\", user: postgres }");
    assertThat(String.join("\n", CliProcess.ok("store", "copy", "--from", sqlite.toString(), "--to",
        postgres.toString()))).contains("2 virtual key(s) copied");
    assertThat(CliProcess.ok("keys", "list", "--config", postgres.toString(), "--json")).isEqualTo(onSqlite);
    assertThat(String.join("\n", CliProcess.ok("store", "copy", "--from", sqlite.toString(), "--to",
        postgres.toString()))).contains("0 virtual key(s) copied");

    Path back = config("back", "store: { kind: sqlite, path: " + dir.resolve("back/back.db") + " }");
    CliProcess.ok("store", "copy", "--from", postgres.toString(), "--to", back.toString());
    assertThat(CliProcess.ok("keys", "list", "--config", back.toString(), "--json")).isEqualTo(onSqlite);
  }

  private Path config(String name, String storeLine) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Path file = d.resolve("tracegate.yaml");
    Files.writeString(file, String.join("\n", "server: { host: 127.0.0.1, port: 0 }", storeLine, "models:",
        "  - name: policy", "    backends:", "      - provider: mock", ""));
    return file;
  }
}
