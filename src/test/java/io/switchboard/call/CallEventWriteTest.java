package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Route;
import io.switchboard.webhook.FormParams;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which webhook parameter lands in which field of a call event write, and in which parameter of its statement. */
class CallEventWriteTest {

    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String SID = "CA00000000000000000000000000000001";
    private static final String CALLER = "+15105550123";
    private static final String NUMBER = "+14155550100";
    private static final String AT = "Tue, 14 Jan 2025 10:00:00 +0000";
    private static final OffsetDateTime AT_PARSED = OffsetDateTime.of(2025, 1, 14, 10, 0, 0, 0, ZoneOffset.UTC);

    private final Route route = new Route(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), NUMBER, ACCOUNT,
            "us1", new Route.Agent(UUID.randomUUID(), "sip", "sip:bot@example.com", Map.of(), false, null));

    @Test
    void aCompletedCallEndsAtTwiliosTimestampWithItsDuration() {
        var write = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "completed",
                "From", CALLER, "To", NUMBER, "Timestamp", AT, "CallDuration", "42", "SequenceNumber", "3",
                "ErrorCode", "0"), route);

        assertThat(write.from()).isEqualTo(CALLER);
        assertThat(write.to()).isEqualTo(NUMBER);
        assertThat(write.status()).isEqualTo("completed");
        assertThat(write.answeredAt()).as("a completed call was answered its duration before it ended")
                .isEqualTo(AT_PARSED.minusSeconds(42));
        assertThat(write.endedAt()).isEqualTo(AT_PARSED);
        assertThat(write.durationSeconds()).isEqualTo(42);
        assertThat(write.errorCode()).as("0 is no error").isNull();
        assertThat(write.recordingUrl()).isNull();
        assertThat(write.accountSid()).isEqualTo(ACCOUNT);
        assertThat(write.route()).isSameAs(route);
        assertThat(write.event().type()).isEqualTo("voice-status");
        assertThat(write.event().sid()).isEqualTo(SID);
        assertThat(write.event().status()).isEqualTo("completed");
        assertThat(write.event().sequence()).isEqualTo(3);
        assertThat(write.event().dedupeKey()).isEqualTo(ACCOUNT + "|voice-status|" + SID + "|completed|3");
    }

    @Test
    void aCallThatEndedUnansweredHasNoAnsweredTime() {
        for (String status : List.of("busy", "no-answer", "failed", "canceled")) {
            var write = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", status,
                    "Timestamp", AT, "CallDuration", "0"), null);
            assertThat(write.answeredAt()).as(status).isNull();
            assertThat(write.endedAt()).as(status).isEqualTo(AT_PARSED);
        }
    }

    @Test
    void aCompletedCallReconciledWasAnsweredItsDurationBeforeItsEnd() {
        var dialed = AT_PARSED.minusSeconds(60);
        var completed = new io.switchboard.twilio.TwilioCall(SID, NUMBER, CALLER, "completed", "outbound-api", null,
                42, dialed, dialed, AT_PARSED);
        var write = CallEventWrite.reconciled(completed, SID, ACCOUNT);
        assertThat(write.endedAt()).isEqualTo(AT_PARSED);
        assertThat(write.answeredAt()).isEqualTo(AT_PARSED.minusSeconds(42));

        var noAnswer = new io.switchboard.twilio.TwilioCall(SID, NUMBER, CALLER, "no-answer", "outbound-api", null,
                0, dialed, dialed, AT_PARSED);
        assertThat(CallEventWrite.reconciled(noAnswer, SID, ACCOUNT).answeredAt()).isNull();
    }

    @Test
    void anErrorCodeComesWithTwiliosMessageOrWhatTheCodeMeans() {
        var told = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "failed",
                "Timestamp", AT, "ErrorCode", "31005", "ErrorMessage", "Connection error"), null);
        assertThat(told.errorCode()).isEqualTo(31005);
        assertThat(told.errorMessage()).isEqualTo("Connection error");

        var codeOnly = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "failed",
                "Timestamp", AT, "ErrorCode", "21215"), null);
        assertThat(codeOnly.errorMessage()).isEqualTo("Geographic Permission configuration is not permitting call"
                + " (https://www.twilio.com/docs/api/errors/21215)");
        var unknown = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "failed",
                "Timestamp", AT, "ErrorCode", "39999"), null);
        assertThat(unknown.errorMessage())
                .isEqualTo("Twilio error 39999 (https://www.twilio.com/docs/api/errors/39999)");

        var none = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "completed",
                "Timestamp", AT, "ErrorCode", "0", "ErrorMessage", "ignored without a code"), null);
        assertThat(none.errorCode()).isNull();
        assertThat(none.errorMessage()).isNull();
    }

    @Test
    void aCallInProgressIsAnsweredAndNotYetEnded() {
        var write = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "in-progress",
                "From", CALLER, "To", NUMBER, "Timestamp", AT, "CallDuration", "5", "ErrorCode", "31005"), null);

        assertThat(write.status()).isEqualTo("in-progress");
        assertThat(write.answeredAt()).isEqualTo(AT_PARSED);
        assertThat(write.endedAt()).isNull();
        assertThat(write.durationSeconds()).as("only a call that ended has a duration").isNull();
        assertThat(write.errorCode()).isEqualTo(31005);
        assertThat(write.route()).isNull();
    }

    @Test
    void aStatusTheCallTableDoesNotKnowIsKeptInTheEventOnly() {
        var write = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "sleeping",
                "Timestamp", AT), null);

        assertThat(write.status()).isNull();
        assertThat(write.event().status()).isEqualTo("sleeping");
        assertThat(write.answeredAt()).isNull();
        assertThat(write.endedAt()).isNull();
    }

    @Test
    void aCompletedRecordingBringsOnlyItsUrl() {
        var write = CallEventWrite.recording(webhook(null, "CallSid", SID, "RecordingSid", "RE1",
                "RecordingStatus", "completed", "RecordingUrl", "https://api.twilio.com/rec/RE1", "From", CALLER,
                "To", NUMBER, "CallStatus", "completed"));

        assertThat(write.recordingUrl()).isEqualTo("https://api.twilio.com/rec/RE1");
        assertThat(write.from()).isNull();
        assertThat(write.to()).isNull();
        assertThat(write.status()).isNull();
        assertThat(write.errorCode()).isNull();
        assertThat(write.answeredAt()).isNull();
        assertThat(write.endedAt()).isNull();
        assertThat(write.durationSeconds()).isNull();
        assertThat(write.route()).isNull();
        assertThat(write.accountSid()).isEqualTo(ACCOUNT);
        assertThat(write.event().type()).isEqualTo("recording");
        // Without Twilio's token, each recording of the call is told apart by its own sid.
        assertThat(write.event().dedupeKey()).isEqualTo(ACCOUNT + "|recording|" + SID + "|completed||RE1");
    }

    @Test
    void aRecordingStillInProgressHasNoUrlAndTwiliosTokenIsItsKey() {
        var write = CallEventWrite.recording(webhook("tok-1", "CallSid", SID, "RecordingSid", "RE1",
                "RecordingStatus", "in-progress", "RecordingUrl", "https://api.twilio.com/rec/RE1"));

        assertThat(write.recordingUrl()).isNull();
        assertThat(write.event().dedupeKey()).isEqualTo(ACCOUNT + "|token:tok-1");
    }

    @Test
    void theRepositoryBindsEachFieldToItsOwnParameter() {
        var write = CallEventWrite.statusCallback(webhook(null, "CallSid", SID, "CallStatus", "completed",
                "From", CALLER, "To", NUMBER, "Timestamp", AT, "CallDuration", "42", "SequenceNumber", "3",
                "ErrorCode", "13224"), route);

        Tuple tuple = CallEventRepository.tuple(write);

        assertThat(tuple.size()).isEqualTo(23);
        assertThat(tuple.getValue(0)).isEqualTo(SID);
        assertThat(tuple.getValue(1)).isEqualTo("voice-status");
        assertThat(tuple.getValue(2)).isEqualTo("completed");
        assertThat(tuple.getValue(3)).isEqualTo(3);
        assertThat(tuple.getValue(4)).isEqualTo(write.event().receivedAt());
        assertThat(new JsonObject((String) tuple.getValue(5)).getJsonArray("From")).containsExactly(CALLER);
        assertThat(tuple.getValue(6)).isEqualTo(write.event().dedupeKey());
        assertThat(tuple.getValue(7)).isEqualTo(route.organizationId());
        assertThat(tuple.getValue(8)).isInstanceOf(UUID.class);
        assertThat(tuple.getValue(9)).isEqualTo(CALLER);
        assertThat(tuple.getValue(10)).isEqualTo(NUMBER);
        assertThat(tuple.getValue(11)).isEqualTo(route.agent().id());
        assertThat(tuple.getValue(12)).isEqualTo(route.numberId());
        assertThat(tuple.getValue(13)).isEqualTo("completed");
        assertThat(tuple.getValue(14)).isEqualTo(CallStatuses.TERMINAL);
        assertThat(tuple.getValue(15)).isEqualTo(13224);
        assertThat(tuple.getValue(16)).as("answered its duration before it ended")
                .isEqualTo(AT_PARSED.minusSeconds(42));
        assertThat(tuple.getValue(17)).isEqualTo(AT_PARSED);
        assertThat(tuple.getValue(18)).isEqualTo(42);
        assertThat(tuple.getValue(19)).isNull();
        assertThat(tuple.getValue(20)).isEqualTo(ACCOUNT);
        // Built outside the signature check: no provider named, so nothing is restricted beyond the account.
        assertThat(tuple.getValue(21)).isNull();
        assertThat(tuple.getValue(22)).isEqualTo(write.errorMessage()).asString()
                .endsWith("https://www.twilio.com/docs/api/errors/13224)");
    }

    @Test
    void theProvidersThatSignedACallbackAreBoundSoNoOtherProvidersCallIsChanged() {
        UUID signer = UUID.randomUUID();
        var params = FormParams.parse("AccountSid=" + ACCOUNT + "&CallSid=" + SID + "&CallStatus=completed");
        var write = CallEventWrite.statusCallback(new VerifiedWebhook(ACCOUNT, null, List.of(signer), params, null),
                null);

        assertThat((UUID[]) CallEventRepository.tuple(write).getValue(21)).containsExactly(signer);
        assertThat(CallEventWrite.recording(new VerifiedWebhook(ACCOUNT, null, List.of(signer), params, null))
                .signedBy()).containsExactly(signer);
    }

    @Test
    void aRecordingIsBoundWithItsUrlAndNothingOfTheCall() {
        var write = CallEventWrite.recording(webhook(null, "CallSid", SID, "RecordingSid", "RE1",
                "RecordingStatus", "completed", "RecordingUrl", "https://api.twilio.com/rec/RE1"));

        Tuple tuple = CallEventRepository.tuple(write);

        assertThat(tuple.getValue(19)).isEqualTo("https://api.twilio.com/rec/RE1");
        for (int i : new int[] { 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 }) {
            assertThat(tuple.getValue(i)).as("$%d", i + 1).isNull();
        }
        assertThat(tuple.getValue(20)).isEqualTo(ACCOUNT);
        // Built outside the signature check: no provider named, so nothing is restricted beyond the account.
        assertThat(tuple.getValue(21)).isNull();
        assertThat(tuple.getValue(22)).as("a recording carries no error message").isNull();
    }

    @Test
    void anInboundRecordStartsRingingUnlessTwilioSaidMoreAndTakesTheRoutesIds() {
        var record = InboundRecord.of(webhook(null, "CallSid", SID, "CallStatus", "queued", "From", CALLER,
                "To", NUMBER), route);

        assertThat(record.sid()).isEqualTo(SID);
        assertThat(record.eventStatus()).isEqualTo("queued");
        assertThat(record.status()).isEqualTo("queued");
        assertThat(record.from()).isEqualTo(CALLER);
        assertThat(record.to()).isEqualTo(NUMBER);
        assertThat(record.organizationId()).isEqualTo(route.organizationId());
        assertThat(record.agentId()).isEqualTo(route.agent().id());
        assertThat(record.phoneNumberId()).isEqualTo(route.numberId());
        assertThat(record.accountSid()).isEqualTo(ACCOUNT);
        assertThat(record.dedupeKey()).as("the call row is the record, under its sid").isNull();
        assertThat(FormParams.parse(record.form()).get("CallSid")).isEqualTo(SID);

        var unknown = InboundRecord.of(webhook(null, "CallSid", SID, "CallStatus", "odd", "To", NUMBER), null);
        assertThat(unknown.status()).isEqualTo("ringing");
        assertThat(unknown.eventStatus()).isEqualTo("odd");
        assertThat(unknown.organizationId()).isNull();
        assertThat(unknown.agentId()).isNull();
        assertThat(unknown.dedupeKey()).isEqualTo(ACCOUNT + "|voice-inbound|" + SID + "|odd|");
    }

    private static VerifiedWebhook webhook(String idempotencyToken, String... namesAndValues) {
        var body = new StringBuilder("AccountSid=" + ACCOUNT);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.append('&').append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return new VerifiedWebhook(ACCOUNT, FormParams.parse(body.toString()), idempotencyToken);
    }
}
