package io.switchboard.twilio;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

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

        /**
         * How long a webhook's body may take to arrive once its headers have: a slower one is answered 408 and its
         * connection closed. Twilio sends the form with the headers.
         */
        @WithDefault("10s")
        @DurationMin(millis = 100)
        Duration bodyTimeout();

        /**
         * Webhook body bytes held in memory at once across all requests, at most: a body that would pass it is
         * answered 503 (Twilio retries it) and its connection closed, so a flood of bodies cannot exhaust the heap.
         */
        @WithDefault("8388608")
        @Min(65536)
        long maxBufferedBytes();

        /** How Twilio retries the webhooks it sends here: the connection overrides of every URL registered. */
        Overrides overrides();
    }

    /**
     * Twilio's webhook connection overrides, added as a fragment to every URL registered with Twilio (see
     * {@link WebhookUrls}). Without them Twilio retries only a failed connection, once, and a webhook answered 5xx
     * (a callback that could not be stored) is lost. The ranges are Twilio's; every try fits in {@code total-time}.
     */
    interface Overrides {
        /** Whether registered URLs carry the overrides at all. */
        @WithDefault("true")
        boolean enabled();

        /** Tries after the first ({@code rc}, 0 to 5). */
        @WithDefault("3")
        @Min(0)
        @Max(5)
        int retryCount();

        /**
         * Which failures are retried ({@code rp}): {@code ct} a failed connection, {@code rt} no answer within the
         * read timeout, {@code 4xx}, {@code 5xx}, or {@code all}. A 4xx here is a refused signature or body, which a
         * retry does not change.
         */
        @WithDefault("ct,rt,5xx")
        @NotEmpty
        List<@Pattern(regexp = "ct|rt|4xx|5xx|all", message = "must be ct, rt, 4xx, 5xx or all") String> retryPolicy();

        /** Longest wait for the TCP and TLS connection of one try ({@code ct}, 100 ms to 10 s). */
        @WithDefault("3s")
        @DurationMin(millis = 100)
        @DurationMax(millis = 10_000)
        Duration connectTimeout();

        /** Longest wait for the answer to start, and between two of its packets ({@code rt}, 100 ms to 15 s). */
        @WithDefault("5s")
        @DurationMin(millis = 100)
        @DurationMax(millis = 15_000)
        Duration readTimeout();

        /**
         * The overrides registered before these (the fragment after {@code #}, as in
         * {@code phone_number.webhook_overrides}), still accepted in signatures after a change: Twilio signs the URL
         * as registered, and the calls and numbers registered with the old fragment take a while to go.
         */
        Optional<String> previous();

        /** Longest time for all tries together ({@code tt}, 100 ms to 15 s, Twilio's own limit). */
        @WithDefault("15s")
        @DurationMin(millis = 100)
        @DurationMax(millis = 15_000)
        Duration totalTime();
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

        /** Connections kept per region (each region has its own pool), and per Twilio host within it. */
        @WithDefault("20")
        @Positive
        int maxPoolSize();

        /**
         * Requests one account may have in flight to one region at once; more are not sent and are retried after
         * backing off. Keeps an account whose requests hang or are throttled from holding its region's whole pool.
         */
        @WithDefault("10")
        @Positive
        int maxRequestsPerAccount();

        /** The circuit breaker of each region and account. */
        Breaker breaker();
    }

    /**
     * A breaker per region and account: it opens when, of the last {@code request-volume-threshold} requests, the
     * share {@code failure-ratio} met no answer or a 5xx; it stays open for {@code delay}, then closes after
     * {@code success-threshold} successes.
     */
    interface Breaker {
        /** Requests in the rolling window. */
        @WithDefault("20")
        @Positive
        int requestVolumeThreshold();

        /** Share of failed requests in the window that opens the breaker. */
        @WithDefault("0.5")
        @DecimalMin("0.01")
        @DecimalMax("1.0")
        double failureRatio();

        /** How long an open breaker refuses requests before letting trial requests through. */
        @WithDefault("10s")
        Duration delay();

        /** Trial successes that close it again. */
        @WithDefault("2")
        @Positive
        int successThreshold();
    }
}
