package io.tracegate.store.sqlite;

import io.tracegate.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per SQLite file: an OS file lock on the sidecar file {@code <db>.lock}, held while a store is
 * open read-write and released on {@link #close()} or when the process dies (the OS drops the locks of a
 * dead process, SIGKILL included). Readers (the CLI, other processes) never take it, so they can read the
 * file while a gateway writes it. The lock is on a separate file because SQLite's own locks on the
 * database file are POSIX record locks too: this process closing any descriptor of the database file would
 * silently drop a lock taken there.
 */
final class WriterLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WriterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of {@code db}. */
  static Path lockFile(Path db) {
    return db.resolveSibling(db.getFileName() + ".lock");
  }

  /**
   * Takes the writer lock of {@code db} without waiting.
   *
   * @throws StoreException naming the file when another gateway (in this or another process) holds it
   */
  static WriterLock acquire(Path db) {
    Path file = lockFile(db);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot open lock file " + file + " of span store " + db + ": " + e, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(db, "by this process");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock " + file + " of span store " + db + ": " + e, e);
    }
    if (lock == null) {
      String holder = holder(file);
      closeQuietly(channel);
      throw inUse(db, holder == null ? "by another process" : "by process " + holder);
    }
    writePid(channel);
    return new WriterLock(channel, lock);
  }

  private static StoreException inUse(Path db, String by) {
    return new StoreException("span store " + db + " is already open for writing " + by
        + " (another tracegate gateway holds its lock file " + lockFile(db).getFileName()
        + "); one SQLite file takes one gateway: stop the other gateway or give this one another store.path."
        + " Reading the file (tracegate spans/export --config) works while it runs.");
  }

  /** The pid the holder wrote into the lock file, or null. */
  private static String holder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.matches("\\d{1,10}") ? text : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Leaves this process's pid in the lock file, for the message another gateway prints. */
  private static void writePid(FileChannel channel) {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    } catch (IOException e) {
      // informational only: the lock itself is what excludes another writer
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
