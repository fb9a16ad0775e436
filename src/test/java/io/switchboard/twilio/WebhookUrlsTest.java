package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every URL registered with Twilio carries the connection overrides, and signatures are checked for what Twilio signs. */
class WebhookUrlsTest {

    private static final String BASE = "https://hooks.example.com/sb";

    @Test
    void theFragmentIsBuiltInTwiliosSyntaxFromTheConfiguration() {
        var overrides = new Overrides(true, 2, List.of("5xx", "rt"), Duration.ofMillis(1500), Duration.ofSeconds(4),
                Duration.ofSeconds(12), Optional.empty());
        assertThat(WebhookUrls.fragment(overrides)).isEqualTo("ct=1500&rt=4000&tt=12000&rc=2&rp=5xx,rt");
        assertThat(WebhookUrls.fragment(new Overrides(false, 2, List.of("5xx"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty()))).isEmpty();
    }

    @Test
    void everyRegisteredUrlCarriesTheOverrides() {
        var urls = new WebhookUrls(BASE + "/", "rc=3&rp=5xx");
        assertThat(List.of(urls.voiceInbound(), urls.voiceOutbound("c1"), urls.voiceStatus(), urls.voiceStatus("c1"),
                urls.recordingStatus(), urls.messagingInbound(), urls.messagingStatus(), urls.messagingStatus("m1")))
                .containsExactly(BASE + "/twilio/voice/inbound#rc=3&rp=5xx",
                        BASE + "/twilio/voice/outbound/c1#rc=3&rp=5xx",
                        BASE + "/twilio/voice/status#rc=3&rp=5xx", BASE + "/twilio/voice/status?callId=c1#rc=3&rp=5xx",
                        BASE + "/twilio/voice/recording#rc=3&rp=5xx", BASE + "/twilio/messaging/inbound#rc=3&rp=5xx",
                        BASE + "/twilio/messaging/status#rc=3&rp=5xx",
                        BASE + "/twilio/messaging/status?messageId=m1#rc=3&rp=5xx");
        assertThat(urls.base()).isEqualTo(BASE);
        assertThat(urls.overrides()).isEqualTo("rc=3&rp=5xx");
    }

    @Test
    void withoutOverridesTheUrlsAreBare() {
        var urls = new WebhookUrls(BASE, "");
        assertThat(urls.voiceStatus("c1")).isEqualTo(BASE + "/twilio/voice/status?callId=c1");
        assertThat(urls.signedUrls("/twilio/voice/status", "callId=c1"))
                .containsExactly(BASE + "/twilio/voice/status?callId=c1");
    }

    @Test
    void aWebhookMayBeSignedWithTheFragmentWithoutItOrWithThePreviousOne() {
        var urls = new WebhookUrls(BASE, "rc=3&rp=5xx", "#rc=1&rp=all");
        assertThat(urls.signedUrls("/twilio/voice/status", "callId=c1")).containsExactly(
                BASE + "/twilio/voice/status?callId=c1#rc=3&rp=5xx", BASE + "/twilio/voice/status?callId=c1",
                BASE + "/twilio/voice/status?callId=c1#rc=1&rp=all");
        assertThat(urls.signedUrls("/twilio/voice/inbound", null))
                .containsExactly(BASE + "/twilio/voice/inbound#rc=3&rp=5xx", BASE + "/twilio/voice/inbound",
                        BASE + "/twilio/voice/inbound#rc=1&rp=all");
        // A previous fragment equal to the current one adds nothing.
        assertThat(new WebhookUrls(BASE, "rc=3", "rc=3").signedUrls("/twilio/voice/inbound", "")).hasSize(2);

        var params = Map.of("CallSid", List.of("CA1"));
        String signed = TwilioSignature.sign(urls.voiceStatus("c1"), params, "token");
        assertThat(TwilioSignature.isValid(signed, urls.signedUrls("/twilio/voice/status", "callId=c1"), params,
                List.of("token"))).isTrue();
        assertThat(TwilioSignature.isValid(signed, BASE + "/twilio/voice/status?callId=c1", params,
                List.of("token"))).isFalse();
        String old = TwilioSignature.sign(BASE + "/twilio/voice/status?callId=c1#rc=1&rp=all", params, "token");
        assertThat(TwilioSignature.isValid(old, urls.signedUrls("/twilio/voice/status", "callId=c1"), params,
                List.of("token"))).isTrue();
        String other = TwilioSignature.sign(BASE + "/twilio/voice/status?callId=c1#rc=2", params, "token");
        assertThat(TwilioSignature.isValid(other, urls.signedUrls("/twilio/voice/status", "callId=c1"), params,
                List.of("token"))).isFalse();
    }

    @Test
    void aUrlPointsAtAnEndpointWhateverOverridesItCarries() {
        var urls = new WebhookUrls(BASE, "rc=3&rp=5xx");
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, urls.voiceInbound())).isTrue();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, BASE + "/twilio/voice/inbound")).isTrue();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, BASE + "/twilio/voice/inbound#rc=1")).isTrue();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, urls.messagingInbound())).isFalse();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, "https://customer.example.com/twilio/voice/inbound"))
                .isFalse();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, "")).isFalse();
        assertThat(urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, null)).isFalse();
    }

    private record Overrides(boolean enabled, int retryCount, List<String> retryPolicy, Duration connectTimeout,
            Duration readTimeout, Duration totalTime, Optional<String> previous) implements TwilioConfig.Overrides {
    }
}
