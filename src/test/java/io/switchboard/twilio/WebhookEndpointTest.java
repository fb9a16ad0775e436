package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The webhook paths of the public contract, mounted and registered from one declaration. */
class WebhookEndpointTest {

    @Test
    void theRoutesAreTheContractsPaths() {
        assertThat(Arrays.stream(WebhookEndpoint.values()).map(WebhookEndpoint::route)).containsExactly(
                "/twilio/voice/inbound", "/twilio/voice/outbound/:callId", "/twilio/voice/status",
                "/twilio/voice/recording", "/twilio/voice/amd", "/twilio/voice/agent-action/:agentId",
                "/twilio/voice/transfer/:callId", "/twilio/voice/transfer-target/:callId",
                "/twilio/voice/transfer-announcement/:callId", "/twilio/voice/refer/:agentId",
                "/twilio/voice/transfer-conference/:callId",
                "/twilio/messaging/inbound",
                "/twilio/messaging/status");
        assertThat(WebhookEndpoint.values()).allSatisfy(e -> assertThat(e.route()).startsWith(WebhookEndpoint.PREFIX));
    }

    @Test
    void onlyTheOutboundAnswerTakesAPathParameter() {
        assertThat(WebhookEndpoint.VOICE_OUTBOUND.pathParameter()).isEqualTo(WebhookEndpoint.CALL_ID);
        assertThat(WebhookEndpoint.VOICE_OUTBOUND.path("0f8c")).isEqualTo("/twilio/voice/outbound/0f8c");
        assertThatThrownBy(WebhookEndpoint.VOICE_OUTBOUND::path).isInstanceOf(IllegalStateException.class);
        assertThat(WebhookEndpoint.VOICE_STATUS.pathParameter()).isNull();
        assertThat(WebhookEndpoint.VOICE_STATUS.path()).isEqualTo("/twilio/voice/status");
        assertThatThrownBy(() -> WebhookEndpoint.VOICE_STATUS.path("x")).isInstanceOf(IllegalStateException.class);
    }
}
