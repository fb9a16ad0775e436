package io.switchboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY_A = randomKey();
    private static final String KEY_B = randomKey();

    @Test
    void roundTripsAndNeverRepeatsANonce() {
        var cipher = new SecretCipher(KEY_A, List.of());
        String first = cipher.encrypt("0123456789abcdef0123456789abcdef", "provider:1:authToken");
        String second = cipher.encrypt("0123456789abcdef0123456789abcdef", "provider:1:authToken");

        assertThat(first).isNotEqualTo(second).doesNotContain("0123456789abcdef")
                .startsWith("v1." + cipher.currentKeyId());
        assertThat(cipher.decrypt(first, "provider:1:authToken")).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(cipher.decrypt(second, "provider:1:authToken")).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(cipher.decrypt(cipher.encrypt("ünïcode ✓"))).isEqualTo("ünïcode ✓");
    }

    @Test
    void rejectsTamperedCiphertext() {
        var cipher = new SecretCipher(KEY_A, List.of());
        String stored = cipher.encrypt("secret");
        String[] parts = stored.split("\\.");
        byte[] raw = Base64.getDecoder().decode(parts[2]);
        raw[raw.length - 1] ^= 1;
        String tampered = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(raw);

        assertThatThrownBy(() -> cipher.decrypt(tampered))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> cipher.decrypt("v1." + parts[1] + ".AAAA"))
                .isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("plain text")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void aCiphertextMovedToAnotherContextDoesNotDecrypt() {
        var cipher = new SecretCipher(KEY_A, List.of());
        String stored = cipher.encrypt("secret", "provider:1:authToken");
        assertThatThrownBy(() -> cipher.decrypt(stored, "provider:2:authToken"))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void readsValuesWrittenUnderAPreviousKeyAndReencryptsThem() {
        var old = new SecretCipher(KEY_A, List.of());
        String stored = old.encrypt("secret", "ctx");

        var rotated = new SecretCipher(KEY_B, List.of(KEY_A));
        assertThat(rotated.decrypt(stored, "ctx")).isEqualTo("secret");
        assertThat(rotated.needsReencryption(stored)).isTrue();

        String fresh = rotated.reencrypt(stored, "ctx");
        assertThat(rotated.needsReencryption(fresh)).isFalse();
        assertThat(fresh).contains(rotated.currentKeyId()).doesNotContain(old.currentKeyId());
        assertThat(new SecretCipher(KEY_B, List.of()).decrypt(fresh, "ctx")).isEqualTo("secret");

        // Once the old key is dropped, what it wrote no longer decrypts: the error says which key, never the value.
        assertThatThrownBy(() -> new SecretCipher(KEY_B, List.of()).decrypt(stored, "ctx"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining(old.currentKeyId());
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> new SecretCipher(shortKey, List.of()))
                .hasMessageContaining("SECRETS_ENCRYPTION_KEY").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretCipher(KEY_A, List.of("not base64!")))
                .hasMessageContaining("SECRETS_PREVIOUS_KEYS");
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
