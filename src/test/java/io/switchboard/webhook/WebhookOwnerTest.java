package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.twilio.WebhookEndpoint;
import org.junit.jupiter.api.Test;

/** Which number says whose a webhook is, on each endpoint: never one the sender could pick freely for another's. */
class WebhookOwnerTest {

    private static final String OURS = "+14155550100";
    private static final String THEIRS = "+15105550123";

    @Test
    void eachEndpointIsFoundByItsPath() {
        for (WebhookEndpoint endpoint : WebhookEndpoint.values()) {
            String path = endpoint.pathParameter() == null ? endpoint.path() : endpoint.path("c1");
            assertThat(WebhookEndpoint.ofPath(path)).as(path).isEqualTo(endpoint);
        }
        assertThat(WebhookEndpoint.ofPath("/twilio/voice/outbound/")).isNull();
        assertThat(WebhookEndpoint.ofPath("/twilio/voice/outbound/c1/more")).isNull();
        assertThat(WebhookEndpoint.ofPath("/twilio/voice/other")).isNull();
        assertThat(WebhookEndpoint.ofPath("/twilio/voice/inbound/")).isNull();
    }

    @Test
    void theCalledNumberOwnsWhatComesInAndTheCallingNumberWhatWasPlacedHere() {
        var inbound = FormParams.parse("From=%2B15105550123&To=%2B14155550100&Direction=inbound");
        var outbound = FormParams.parse("From=%2B14155550100&To=%2B15105550123&Direction=outbound-api");
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_INBOUND, inbound)).isEqualTo(OURS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.MESSAGING_INBOUND, inbound)).isEqualTo(OURS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_STATUS, inbound)).isEqualTo(OURS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_STATUS, outbound)).isEqualTo(OURS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_OUTBOUND, outbound)).isEqualTo(OURS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.MESSAGING_STATUS, outbound)).isEqualTo(OURS);
        // An inbound call's callback names the caller as From: it never decides whose the call is.
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_STATUS, inbound)).isNotEqualTo(THEIRS);
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_RECORDING, inbound)).isNull();
        assertThat(SignatureCheck.ownerNumber(WebhookEndpoint.VOICE_AMD, outbound)).isNull();
    }
}
