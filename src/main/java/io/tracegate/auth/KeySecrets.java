package io.tracegate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Virtual key secrets: {@code tg-} followed by 256 random bits (base64url), stored only as their SHA-256. A
 * slow password hash (bcrypt, Argon2) exists to make guessing low-entropy passwords expensive; a 256-bit
 * random secret cannot be guessed however fast the hash, and a fast hash keeps the per-request check at about
 * a microsecond (docs/security.md).
 */
public final class KeySecrets {
  public static final String PREFIX = "tg-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {}

  /** A new secret, e.g. {@code tg-3q2+...} (43 base64url characters after the prefix). */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A new key id, {@code key_} and 16 hex digits: safe to show, log and put in spans. */
  public static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }

  /** The SHA-256 of a secret, lower-case hex. */
  public static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** Compares two secrets in time that does not depend on where they differ. */
  public static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
