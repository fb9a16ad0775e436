package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdminTokenCheckTest {

    @Test
    void refusesShortRepetitiveAndPatternedTokensWithoutShowingThem() {
        assertThat(AdminTokenCheck.weakness("it-admin-token")).hasValueSatisfying(p -> assertThat(p).contains("short"));
        assertThat(AdminTokenCheck.weakness("a".repeat(64))).hasValueSatisfying(p -> assertThat(p).contains("variety"));
        assertThat(AdminTokenCheck.weakness("abcdefghijk".repeat(3)))
                .hasValueSatisfying(p -> assertThat(p).contains("pattern"));
        AdminConfig weak = () -> "0123456789";
        assertThatThrownBy(() -> new AdminTokenCheck(weak)).hasMessageContaining("ADMIN_TOKEN")
                .hasMessageNotContaining("0123456789");
    }

    @Test
    void acceptsWhatTheReadmeSaysToGenerate() {
        var random = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            assertThat(AdminTokenCheck.weakness(Base64.getEncoder().encodeToString(bytes))).isEmpty();
            // openssl rand -hex 16: 32 hexadecimal digits.
            assertThat(AdminTokenCheck.weakness(java.util.HexFormat.of().formatHex(bytes, 0, 16))).isEmpty();
        }
        assertThat(AdminTokenCheck.weakness("it-admin-token-not-a-secret-0123456789")).isEmpty();
    }
}
