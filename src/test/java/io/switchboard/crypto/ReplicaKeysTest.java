package io.switchboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a replica seals new values under before it has heard from the others. */
class ReplicaKeysTest {

    private static final String OLD = key(1);
    private static final String NEW = key(2);

    @Test
    void beforeItsFirstAnnouncementAReplicaSealsUnderAKeyTheOthersStillRead() {
        var rolling = new SecretCipher(NEW, List.of(OLD));
        var keys = new ReplicaKeys(rolling, null, null, null, "replica-a");
        // A replica not yet given the new key reads only the old one: that is the key to seal under until it is known.
        assertThat(keys.sealingKeyId()).isEqualTo(new SecretCipher(OLD, List.of()).currentKeyId())
                .isNotEqualTo(rolling.currentKeyId());
    }

    @Test
    void withOneKeyItSealsUnderIt() {
        var only = new SecretCipher(NEW, List.of());
        assertThat(new ReplicaKeys(only, null, null, null, "replica-b").sealingKeyId()).isEqualTo(only.currentKeyId());
    }

    private static String key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
