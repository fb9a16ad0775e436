package io.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's designated unreachable agents, and what it reads of the verb that connects a call to one. */
class SimulatorAgentEndpointsTest {

    @Test
    void readsTheVerbItsNounAndTheResolvedAction() {
        var connect = Twiml.parse("<Response><Start><Recording/></Start><Connect action=\"/a?step=1\">"
                + "<ConversationRelay url=\"wss://r.example.com/ws\"/></Connect></Response>",
                "https://hooks.example.com/twilio/voice/inbound").agentVerb().orElseThrow();
        assertThat(connect).isEqualTo(new Twiml.AgentVerb("Connect", "https://hooks.example.com/a?step=1", "POST",
                "ConversationRelay", "wss://r.example.com/ws"));
        var dial = Twiml.parse("<Response><Dial method=\"GET\"><Sip>sip:+15005551001@s.example.com?X-a=1</Sip>"
                + "</Dial></Response>", null).agentVerb().orElseThrow();
        assertThat(dial).isEqualTo(new Twiml.AgentVerb("Dial", null, "GET", "Sip",
                "sip:+15005551001@s.example.com?X-a=1"));
        assertThat(Twiml.parse("<Response><Dial>+14155550100</Dial></Response>", null).agentVerb().orElseThrow()
                .target()).isEqualTo("+14155550100");
        assertThat(Twiml.parse("<Response><Say>Hi</Say><Hangup/></Response>", null).agentVerb()).isEmpty();
    }

    @Test
    void designatedEndpointsFailAsTwilioReportsThem() {
        assertThat(AgentEndpoints.failure(verb("Connect", "Stream", "wss://agent.invalid/m")))
                .containsEntry("ErrorCode", List.of("31920")).containsKey("StreamError").containsKey("StreamSid");
        assertThat(AgentEndpoints.failure(verb("Connect", "ConversationRelay", "wss://relay.INVALID/ws")))
                .containsEntry("SessionStatus", List.of("failed")).containsEntry("ErrorCode", List.of("64102"));
        assertThat(AgentEndpoints.failure(verb("Dial", "Sip", "sip:+15005551001@sip.example.com;transport=tls")))
                .containsEntry("DialCallStatus", List.of("busy")).containsEntry("DialSipResponseCode", List.of("486"));
        assertThat(AgentEndpoints.failure(verb("Dial", "Sip", "sip:bot@pbx.invalid")))
                .containsEntry("DialCallStatus", List.of("failed"));
        assertThat(AgentEndpoints.failure(verb("Dial", "Number", "+15005552001")))
                .containsEntry("DialCallStatus", List.of("no-answer"));
        assertThat(AgentEndpoints.failure(verb("Dial", "Number", "+15005553001")))
                .containsEntry("DialCallStatus", List.of("failed"));
    }

    @Test
    void everyOtherEndpointIsReachedAndEndsWithoutAnError() {
        assertThat(AgentEndpoints.failure(verb("Connect", "Stream", "wss://agents.example.com/m"))).isNull();
        assertThat(AgentEndpoints.failure(verb("Connect", "ConversationRelay", "wss://relay.example.com/ws")))
                .isNull();
        assertThat(AgentEndpoints.failure(verb("Dial", "Sip", "sip:bot@sip.example.com"))).isNull();
        assertThat(AgentEndpoints.failure(verb("Dial", "Number", "+14155550100"))).isNull();
        assertThat(AgentEndpoints.failure(verb("Dial", "Number", "+15005554001"))).as("a machine answers").isNull();

        Instant connected = Instant.now().minusSeconds(5);
        assertThat(AgentEndpoints.ended(verb("Dial", "Number", "+14155550100"), connected))
                .containsEntry("DialCallStatus", List.of("completed")).containsEntry("DialCallDuration", List.of("5"));
        assertThat(AgentEndpoints.ended(verb("Connect", "ConversationRelay", "wss://r.example.com"), connected))
                .containsEntry("SessionStatus", List.of("completed")).doesNotContainKey("ErrorCode");
        assertThat(AgentEndpoints.ended(verb("Connect", "Stream", "wss://a.example.com"), connected))
                .containsKey("StreamSid").doesNotContainKeys("ErrorCode", "StreamError");
    }

    private static Twiml.AgentVerb verb(String verb, String noun, String target) {
        return new Twiml.AgentVerb(verb, "https://hooks.example.com/action", "POST", noun, target);
    }
}
