package io.switchboard.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest. A stored value reads {@code v1.<keyId>.<base64(nonce | ciphertext | tag)>}: the
 * key id (the first 4 bytes of the key's SHA-256) says which key wrote it, so values written under a key that has
 * since moved to the previous keys still decrypt, and {@link #needsReencryption} finds them. Each value gets a fresh
 * 96-bit nonce. The optional context is bound as associated data, so a ciphertext moved to another row or field fails
 * to decrypt. A key id is a digest: it tells keys apart and reveals nothing of the key.
 */
public final class SecretCipher {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final List<String> readable;

    /** @param currentKey base64 of 32 bytes; @param previousKeys the same, for reading only */
    public SecretCipher(String currentKey, List<String> previousKeys) {
        var current = decodeKey(currentKey, "SECRETS_ENCRYPTION_KEY");
        this.currentKeyId = keyId(current);
        var all = new LinkedHashMap<String, SecretKey>();
        all.put(currentKeyId, current);
        for (String previous : previousKeys) {
            if (!previous.isBlank()) {
                var key = decodeKey(previous.strip(), "SECRETS_PREVIOUS_KEYS");
                all.putIfAbsent(keyId(key), key);
            }
        }
        this.keys = Map.copyOf(all);
        this.readable = List.copyOf(all.keySet());
    }

    public String encrypt(String plaintext) {
        return encrypt(plaintext, "");
    }

    public String encrypt(String plaintext, String context) {
        return encrypt(plaintext, context, currentKeyId);
    }

    /**
     * Under one of the keys this cipher reads, not necessarily the current one: while another replica cannot read the
     * current key yet, new values are written under one it can.
     */
    public String encrypt(String plaintext, String context, String keyId) {
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no configured key has the id " + keyId);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + "." + keyId + "." + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        return decrypt(stored, "");
    }

    /** @throws SecretDecryptionException if the value was tampered with, has another context, or its key is unknown */
    public String decrypt(String stored, String context) {
        String[] parts = stored == null ? new String[0] : stored.split("\\.");
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretDecryptionException("not an encrypted value");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretDecryptionException("encrypted under an unknown key " + parts[1]);
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretDecryptionException("truncated value");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad(parts[1], context));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SecretDecryptionException("value failed authentication");
        }
    }

    /** Whether a stored value was written under an older key. */
    public boolean needsReencryption(String stored) {
        String[] parts = stored.split("\\.");
        return parts.length != 3 || !currentKeyId.equals(parts[1]);
    }

    /** The same secret under the current key (a no-op copy when it already is). */
    public String reencrypt(String stored, String context) {
        return needsReencryption(stored) ? encrypt(decrypt(stored, context), context) : stored;
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** The ids of every key this cipher can read: the current one first, then the previous ones as configured. */
    public List<String> readableKeyIds() {
        return readable;
    }

    /** The id of the key a stored value names, or null when it is not an encrypted value. */
    public static String keyIdOf(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\.");
        return parts.length == 3 && VERSION.equals(parts[0]) ? parts[1] : null;
    }

    /** The prefix every value sealed under {@code keyId} starts with (for a query that finds the others). */
    public static String prefixOf(String keyId) {
        return VERSION + "." + keyId + ".";
    }

    private static byte[] aad(String keyId, String context) {
        return (VERSION + "." + keyId + "." + context).getBytes(StandardCharsets.UTF_8);
    }

    private static SecretKey decodeKey(String base64, String name) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(name + " must be base64 of 32 bytes, got " + raw.length + " bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }

    private static String keyId(SecretKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
