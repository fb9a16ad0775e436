package io.switchboard.twilio;

import static io.switchboard.twilio.FakeTwilio.ACCOUNT_SID;
import static io.switchboard.twilio.FakeTwilio.CALL_SID;
import static io.switchboard.twilio.FakeTwilio.CREDENTIAL_LIST_SID;
import static io.switchboard.twilio.FakeTwilio.MESSAGE_SID;
import static io.switchboard.twilio.FakeTwilio.NUMBER;
import static io.switchboard.twilio.FakeTwilio.NUMBER_SID;
import static io.switchboard.twilio.FakeTwilio.TRUNK_SID;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the client can send, held to Twilio's own OpenAPI specs: path, method, required and enum parameters,
 * types, basic auth. A request the real Twilio would reject for its shape fails here. No Quarkus: the client is built
 * directly, without its fault-tolerance interceptors, which play no part in what goes on the wire.
 */
class TwilioContractTest {

    private static final String MSG_SERVICE_SID = "MG" + "8123456789abcdef".repeat(2);
    private static final String APP_SID = "AP" + "9123456789abcdef".repeat(2);

    private static Vertx vertx;
    private static FakeTwilio twilio;
    private static TwilioClient client;
    private static final TwilioCredentials CREDS = TwilioCredentials.withAuthToken(ACCOUNT_SID,
            "auth-token-0123456789abcdef0123456", TwilioRegion.IE1);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        twilio = FakeTwilio.start();
        var http = new TwilioHttp(TwilioHttp.webClient(vertx, TestClientConfig.DEFAULT), new ObjectMapper(),
                twilio.endpoints(), Duration.ofSeconds(5));
        client = new TwilioClient(http);
        TwilioSpecs.get();
    }

    @AfterAll
    static void stop() {
        twilio.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void reset() {
        twilio.reset();
    }

    @Test
    void accountRequestsMatchTheSpec() {
        await(client.fetchAccount(CREDS));
        await(client.verifyCredentials(CREDS));
        var key = new TwilioCredentials(ACCOUNT_SID, null, "SK" + "0123456789abcdef".repeat(2), "key-secret-0123456789",
                TwilioRegion.IE1, null);
        await(client.verifyCredentials(key));

        assertAllValid(3);
        assertThat(twilio.last().productPath()).endsWith("/IncomingPhoneNumbers.json");
        assertThat(twilio.last().query().get("PageSize")).isEqualTo("1");
    }

    @Test
    void numberRequestsMatchTheSpec() {
        await(client.listIncomingNumbers(CREDS));
        var found = await(client.findIncomingNumber(CREDS, NUMBER));
        await(client.fetchIncomingNumber(CREDS, NUMBER_SID));
        var update = NumberConfiguration.unchanged()
                .withVoiceUrl("https://sb.example.com/twilio/voice", "POST")
                .withVoiceFallbackUrl("https://sb.example.com/twilio/fallback")
                .withSmsUrl("https://sb.example.com/twilio/sms", "POST")
                .withStatusCallback("https://sb.example.com/twilio/status", "POST")
                .withTrunkSid(TRUNK_SID)
                .withVoiceApplicationSid(APP_SID)
                .withSmsApplicationSid(APP_SID);
        await(client.updateIncomingNumber(CREDS, NUMBER_SID, update));

        assertAllValid(4);
        assertThat(found).hasValueSatisfying(n -> assertThat(n.phoneNumber()).isEqualTo(NUMBER));
        // The + of an E.164 number must arrive as +, not as a space.
        assertThat(twilio.requests().get(1).query().get("PhoneNumber")).isEqualTo(NUMBER);
        var form = twilio.last().form();
        assertThat(form.names()).containsExactlyInAnyOrder("VoiceUrl", "VoiceMethod", "VoiceFallbackUrl", "SmsUrl",
                "SmsMethod", "StatusCallback", "StatusCallbackMethod", "TrunkSid", "VoiceApplicationSid",
                "SmsApplicationSid");
    }

    @Test
    void onlyTheFieldsThatAreSetAreSentAndEmptyClears() {
        await(client.updateIncomingNumber(CREDS, NUMBER_SID,
                NumberConfiguration.unchanged().withVoiceUrl("https://sb.example.com/v", null)
                        .withVoiceFallbackUrl(NumberConfiguration.CLEAR)));

        assertAllValid(1);
        assertThat(twilio.last().body()).isEqualTo("VoiceUrl=https%3A%2F%2Fsb.example.com%2Fv&VoiceFallbackUrl=");
    }

    @Test
    void aConfigurationReadFromTwilioRestoresItExactly() {
        var before = await(client.fetchIncomingNumber(CREDS, NUMBER_SID)).configuration();
        await(client.updateIncomingNumber(CREDS, NUMBER_SID, before));

        var form = twilio.last().form();
        assertThat(form.get("VoiceUrl")).isEqualTo("https://old.example.com/voice");
        // Absent at Twilio: cleared, so whatever was set in between goes away.
        assertThat(form.get("VoiceFallbackUrl")).isEmpty();
        assertThat(form.get("SmsUrl")).isEmpty();
        assertThat(form.get("TrunkSid")).isEmpty();
        assertThat(form.get("VoiceApplicationSid")).isEmpty();
        // Methods are never cleared: Twilio always has one.
        assertThat(form.get("VoiceMethod")).isEqualTo("POST");
        // The spec's SID patterns do not allow the empty string that clears a SID at Twilio: only those may fail.
        var report = TwilioSpecs.get().validate(twilio.last());
        assertThat(report.getMessages()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.toString()).containsAnyOf("TrunkSid", "ApplicationSid"));
    }

    @Test
    void trunkingRequestsMatchTheSpec() {
        await(client.createTrunk(CREDS, "switchboard", "sb-test.pstn.twilio.com"));
        await(client.fetchTrunk(CREDS, TRUNK_SID));
        await(client.attachCredentialList(CREDS, TRUNK_SID, CREDENTIAL_LIST_SID));
        await(client.listTrunkCredentialLists(CREDS, TRUNK_SID));
        var url = await(client.createOriginationUrl(CREDS, TRUNK_SID, "agent", "sip:agent@example.com", 10, 20, true));
        await(client.deleteTrunk(CREDS, TRUNK_SID));

        assertAllValid(6);
        assertThat(twilio.requests()).extracting(FakeTwilio.Recorded::product).containsOnly("trunking");
        assertThat(url.priority()).isEqualTo(10);
        assertThat(url.enabled()).isTrue();
    }

    @Test
    void sipCredentialRequestsMatchTheSpec() {
        await(client.createCredentialList(CREDS, "switchboard"));
        var credential = await(client.createCredential(CREDS, CREDENTIAL_LIST_SID, "agent", "Secret-Passw0rd"));
        await(client.deleteCredentialList(CREDS, CREDENTIAL_LIST_SID));

        assertAllValid(3);
        assertThat(credential.username()).isEqualTo("agent");
    }

    @Test
    void callRequestsMatchTheSpecWithEventsAsRepeatedKeys() {
        var request = CallRequest.of("+14155550101", NUMBER, "https://sb.example.com/twilio/outbound")
                .withMethod("POST")
                .withStatusCallback("https://sb.example.com/twilio/status", "POST",
                        List.of("initiated", "ringing", "answered", "completed"))
                .withRecording("https://sb.example.com/twilio/recording", List.of("in-progress", "completed"))
                .withTimeout(30);
        var call = await(client.createCall(CREDS, request));
        await(client.fetchCall(CREDS, CALL_SID));
        await(client.listCalls(CREDS, new CallFilter("+14155550101", NUMBER, "in-progress", CALL_SID, 10)));
        await(client.updateCall(CREDS, CALL_SID, "completed"));

        assertAllValid(4);
        assertThat(call.sid()).isEqualTo(CALL_SID);
        var form = twilio.requests().get(0).form();
        assertThat(form.getAll("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
        assertThat(form.getAll("RecordingStatusCallbackEvent")).containsExactly("in-progress", "completed");
        assertThat(form.get("Record")).isEqualTo("true");
        assertThat(twilio.requests().get(0).body())
                .contains("StatusCallbackEvent=initiated&StatusCallbackEvent=ringing");
    }

    @Test
    void callRecordingUpdatesMatchTheSpec() {
        await(client.updateCallRecording(CREDS, CALL_SID, TwilioClient.CURRENT_RECORDING, "paused", "skip"));
        await(client.updateCallRecording(CREDS, CALL_SID, TwilioClient.CURRENT_RECORDING, "in-progress", "skip"));
        await(client.updateCallRecording(CREDS, CALL_SID, TwilioClient.CURRENT_RECORDING, "stopped", null));

        assertAllValid(3);
        assertThat(twilio.last().productPath())
                .isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + CALL_SID
                        + "/Recordings/Twilio.CURRENT.json");
        assertThat(twilio.requests()).extracting(r -> r.form().get("Status"))
                .containsExactly("paused", "in-progress", "stopped");
        // PauseBehavior only goes with a pause, as the spec says it applies.
        assertThat(twilio.requests()).extracting(r -> r.form().get("PauseBehavior"))
                .containsExactly("skip", null, null);
    }

    @Test
    void messageRequestsMatchTheSpec() {
        var message = await(client.createMessage(CREDS, MessageRequest.from("+14155550101", NUMBER, "Hello ✓")
                .withStatusCallback("https://sb.example.com/twilio/sms-status")));
        await(client.createMessage(CREDS, MessageRequest.viaService("+14155550101", MSG_SERVICE_SID, "Hi")));
        await(client.fetchMessage(CREDS, MESSAGE_SID));

        assertAllValid(3);
        assertThat(message.numSegments()).isEqualTo(1);
        assertThat(twilio.requests().get(0).form().get("Body")).isEqualTo("Hello ✓");
    }

    @Test
    void lookupRequestsMatchTheSpec() {
        var result = await(client.lookup(CREDS, NUMBER));

        assertAllValid(1);
        assertThat(twilio.last().productPath()).isEqualTo("/v2/PhoneNumbers/" + NUMBER);
        assertThat(result.valid()).isTrue();
    }

    @Test
    void theValidatorRejectsACallWithoutTo() {
        await(client.createCall(CREDS, CallRequest.of("+14155550101", NUMBER, "https://sb.example.com/twilio/o")));
        var sent = twilio.last();
        var withoutTo = new FakeTwilio.Recorded(sent.method(), sent.product(), sent.productPath(), sent.rawQuery(),
                sent.headers(), sent.body().replaceFirst("To=[^&]*&", ""));

        assertThat(TwilioSpecs.get().validate(sent).hasErrors()).isFalse();
        assertThat(TwilioSpecs.get().validate(withoutTo).hasErrors()).isTrue();
        assertThat(TwilioSpecs.get().validate(withoutTo).getMessages()).anySatisfy(
                m -> assertThat(m.getMessage()).contains("To"));
        var badTimeout = new FakeTwilio.Recorded(sent.method(), sent.product(), sent.productPath(), sent.rawQuery(),
                sent.headers(), sent.body() + "&Timeout=soon");
        assertThat(TwilioSpecs.get().validate(badTimeout).hasErrors()).isTrue();
    }

    @Test
    void theValidatorRejectsABadEnumAWrongPathAndMissingAuth() {
        await(client.updateCall(CREDS, CALL_SID, "completed"));
        var sent = twilio.last();
        var badStatus = new FakeTwilio.Recorded(sent.method(), sent.product(), sent.productPath(), sent.rawQuery(),
                sent.headers(), "Status=hangup");
        var badSid = new FakeTwilio.Recorded(sent.method(), sent.product(),
                sent.productPath().replace(CALL_SID, "CA123"), sent.rawQuery(), sent.headers(), sent.body());
        var headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(sent.headers()).remove("Authorization");
        var noAuth = new FakeTwilio.Recorded(sent.method(), sent.product(), sent.productPath(), sent.rawQuery(),
                headers, sent.body());

        assertThat(TwilioSpecs.get().validate(badStatus).hasErrors()).isTrue();
        assertThat(TwilioSpecs.get().validate(badSid).hasErrors()).isTrue();
        assertThat(TwilioSpecs.get().validate(noAuth).hasErrors()).isTrue();
    }

    private static void assertAllValid(int expectedRequests) {
        var requests = twilio.requests();
        assertThat(requests).hasSize(expectedRequests);
        for (var request : requests) {
            ValidationReport report = TwilioSpecs.get().validate(request);
            assertThat(report.hasErrors())
                    .as("%s %s?%s %s:%n%s", request.method(), request.productPath(), request.rawQuery(),
                            request.body(), report.getMessages().stream().map(Object::toString)
                                    .collect(Collectors.joining("\n")))
                    .isFalse();
            assertThat(request.headers().get("Authorization")).startsWith("Basic ");
            if (request.method().equals("POST")) {
                assertThat(request.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
            }
        }
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
