package io.switchboard.twilio;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Optional;

/** How the service reaches Twilio and how Twilio reaches the service. */
@ConfigMapping(prefix = "switchboard.twilio")
public interface TwilioConfig {

    Webhook webhook();

    Endpoints endpoints();

    Client client();

    interface Webhook {
        /**
         * The public origin Twilio calls ({@code TWILIO_WEBHOOK_PUBLIC_BASE_URL}): webhook URLs are registered under it,
         * and the signed URL of every webhook is rebuilt from it.
         */
        @Pattern(regexp = "https?://[^/?#\\s]+(/[^?#\\s]*)?",
                message = "TWILIO_WEBHOOK_PUBLIC_BASE_URL must be an absolute http(s) URL without query")
        String publicBaseUrl();

        /** Largest webhook body accepted; Twilio's forms are a few KiB. */
        @WithDefault("65536")
        int maxBodyBytes();
    }

    /** Base-URL overrides for Twilio's REST products; empty means the real regional hosts. */
    interface Endpoints {
        /** The 2010 API ({@code TWILIO_ENDPOINTS_API}). */
        Optional<String> api();

        /** Trunking v1 ({@code TWILIO_ENDPOINTS_TRUNKING}). */
        Optional<String> trunking();

        /** Lookups v2 ({@code TWILIO_ENDPOINTS_LOOKUPS}). */
        Optional<String> lookups();
    }

    /** The HTTP client of {@link TwilioClient}; retries, backoff and breaker have the fault-tolerance keys. */
    interface Client {
        /**
         * Longest wait for one whole exchange (connect, send, full answer). Past it a read is retried and a create is
         * reported as ambiguous. Keep it below the {@code @Timeout} of {@link TwilioClient}, so a timeout is
         * classified here rather than surfacing as a bare fault-tolerance timeout.
         */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Longest wait for a TCP + TLS connection; a connect failure is always safe to retry. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Connections kept per Twilio host. */
        @WithDefault("20")
        int maxPoolSize();
    }
}
