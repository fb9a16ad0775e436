package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdminTokensTest {

    @Test
    void refusesShortRepetitiveAndPatternedTokensWithoutShowingThem() {
        assertThat(AdminTokens.weakness("it-admin-token")).hasValueSatisfying(p -> assertThat(p).contains("short"));
        assertThat(AdminTokens.weakness("a".repeat(64))).hasValueSatisfying(p -> assertThat(p).contains("variety"));
        assertThat(AdminTokens.weakness("abcdefghijk".repeat(3)))
                .hasValueSatisfying(p -> assertThat(p).contains("pattern"));
        assertThat(AdminTokens.message(AdminTokens.weakness("0123456789").orElseThrow())).contains("ADMIN_TOKEN")
                .doesNotContain("0123456789");
    }

    @Test
    void acceptsWhatTheReadmeSaysToGenerate() {
        var random = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            assertThat(AdminTokens.weakness(Base64.getEncoder().encodeToString(bytes))).isEmpty();
            // openssl rand -hex 16: 32 hexadecimal digits.
            assertThat(AdminTokens.weakness(java.util.HexFormat.of().formatHex(bytes, 0, 16))).isEmpty();
        }
        assertThat(AdminTokens.weakness("it-admin-token-not-a-secret-0123456789")).isEmpty();
    }
}
