package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.provider.ProviderView.Check;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider's status and its checks' never disagree: the provider reads as its worst check. */
class ProviderVerifierStatusTest {

    @Test
    void theProviderReadsAsItsWorstCheck() {
        assertThat(ProviderVerifier.overall(List.of(check("credentials", "ok"), check("trunk", "ok"))))
                .isEqualTo("verified");
        assertThat(ProviderVerifier.overall(List.of(check("credentials", "ok"), check("webhook_signatures",
                "warning")))).isEqualTo("warning");
        for (String name : List.of("trunk", "numbers", "us1_credentials")) {
            var checks = List.of(check("credentials", "ok"), check("webhook_signatures", "warning"),
                    check(name, "failed"));
            assertThat(ProviderVerifier.overall(checks)).as(name).isEqualTo("failed");
            assertThat(ProviderVerifier.credentialsRefused(checks)).as(name).isFalse();
        }
        var refused = List.of(check("credentials", "failed"), check("webhook_signatures", "ok"));
        assertThat(ProviderVerifier.overall(refused)).isEqualTo("failed");
        assertThat(ProviderVerifier.credentialsRefused(refused)).isTrue();
    }

    private static Check check(String name, String status) {
        return new Check(name, status, name + " " + status, Instant.now());
    }
}
