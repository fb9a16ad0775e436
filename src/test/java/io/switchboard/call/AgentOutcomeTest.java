package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.webhook.FormParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the action of an agent's verb reports, and whether it sends the call to the fallback. */
class AgentOutcomeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // <Dial> to a SIP or number agent, or to the transfer number
        "CallStatus=in-progress&DialCallStatus=busy                          | UNREACHED",
        "CallStatus=in-progress&DialCallStatus=no-answer                     | UNREACHED",
        "CallStatus=in-progress&DialCallStatus=failed&DialSipResponseCode=503 | UNREACHED",
        "CallStatus=in-progress&DialCallStatus=completed&DialCallDuration=42 | ENDED",
        "CallStatus=in-progress&DialCallStatus=answered                      | ENDED",
        "CallStatus=in-progress&DialCallStatus=canceled                      | ENDED",
        // <Connect><ConversationRelay>
        "CallStatus=in-progress&SessionStatus=failed&ErrorCode=64102          | UNREACHED",
        "CallStatus=in-progress&SessionStatus=failed                         | UNREACHED",
        "CallStatus=in-progress&SessionStatus=completed&HandoffData=%7B%7D    | ENDED",
        "CallStatus=in-progress&SessionStatus=completed                      | ENDED",
        // <Connect><Stream>
        "CallStatus=in-progress&StreamSid=MZ1&ErrorCode=31920                | UNREACHED",
        "CallStatus=in-progress&StreamSid=MZ1&StreamError=Connection+Refused | UNREACHED",
        "CallStatus=in-progress&StreamSid=MZ1&ErrorCode=0                    | ENDED",
        "CallStatus=in-progress&StreamSid=MZ1                                | ENDED",
        "CallStatus=in-progress                                              | ENDED",
        // the caller is gone, whatever the verb says
        "CallStatus=completed&DialCallStatus=no-answer                       | CALLER_GONE",
        "CallStatus=completed&ErrorCode=31920                                | CALLER_GONE",
        "CallStatus=canceled&SessionStatus=failed                            | CALLER_GONE",
        "CallStatus=busy                                                     | CALLER_GONE",
    })
    void readsTheActionRequest(String body, AgentOutcome expected) {
        assertThat(AgentOutcome.of(FormParams.parse(body))).isEqualTo(expected);
    }
}
