package io.switchboard.simulator;

import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.LOOKUPS;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TRUNKING;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of response body the simulator returns conforms to the schema of Twilio's OpenAPI specs. */
@QuarkusTest
class SimulatorSchemaTest {

    private static final OpenApiInteractionValidator API_SPEC = validator("twilio_api_v2010.json");
    private static final OpenApiInteractionValidator TRUNKING_SPEC = validator("twilio_trunking_v1.json");
    private static final OpenApiInteractionValidator LOOKUPS_SPEC = validator("twilio_lookups_v2.json");

    @Inject
    TwilioSimulator simulator;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    private final List<String> checked = new ArrayList<>();

    @BeforeEach
    void reset() {
        simulator.reset();
    }

    @Test
    void api2010ResponsesMatchTheSpec() throws Exception {
        var numbers = check(API_SPEC, Request.Method.GET, API + "/IncomingPhoneNumbers.json",
                asAccount().queryParam("PageSize", 1).get(API + "/IncomingPhoneNumbers.json"));
        String pn = numbers.jsonPath().getString("incoming_phone_numbers[0].sid");
        check(API_SPEC, Request.Method.GET, API + "/IncomingPhoneNumbers/" + pn + ".json",
                asAccount().get(API + "/IncomingPhoneNumbers/" + pn + ".json"));
        check(API_SPEC, Request.Method.POST, API + "/IncomingPhoneNumbers/" + pn + ".json",
                asAccount().formParam("VoiceUrl", hooks + "/twiml/say").formParam("SmsUrl", "")
                        .post(API + "/IncomingPhoneNumbers/" + pn + ".json"));

        var list = check(API_SPEC, Request.Method.POST, API + "/SIP/CredentialLists.json",
                asAccount().formParam("FriendlyName", "switchboard").post(API + "/SIP/CredentialLists.json"));
        String cl = list.jsonPath().getString("sid");
        check(API_SPEC, Request.Method.GET, API + "/SIP/CredentialLists.json",
                asAccount().get(API + "/SIP/CredentialLists.json"));
        check(API_SPEC, Request.Method.GET, API + "/SIP/CredentialLists/" + cl + ".json",
                asAccount().get(API + "/SIP/CredentialLists/" + cl + ".json"));
        String credentials = API + "/SIP/CredentialLists/" + cl + "/Credentials.json";
        check(API_SPEC, Request.Method.POST, credentials, asAccount().formParam("Username", "agent")
                .formParam("Password", "Str0ngEnoughPass").post(credentials));
        check(API_SPEC, Request.Method.GET, credentials, asAccount().get(credentials));

        var call = check(API_SPEC, Request.Method.POST, API + "/Calls.json", asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER).formParam("Url", hooks + "/twiml/say")
                .post(API + "/Calls.json"));
        String ca = call.jsonPath().getString("sid");
        simulator.callFinished(ca).toCompletableFuture().get(5, TimeUnit.SECONDS);
        check(API_SPEC, Request.Method.GET, API + "/Calls/" + ca + ".json", asAccount().get(API + "/Calls/" + ca
                + ".json"));
        check(API_SPEC, Request.Method.POST, API + "/Calls/" + ca + ".json", asAccount()
                .formParam("Status", "completed").post(API + "/Calls/" + ca + ".json"));
        check(API_SPEC, Request.Method.GET, API + "/Calls.json", asAccount().get(API + "/Calls.json"));

        var message = check(API_SPEC, Request.Method.POST, API + "/Messages.json", asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER).formParam("Body", "hello")
                .post(API + "/Messages.json"));
        String sm = message.jsonPath().getString("sid");
        simulator.messageFinished(sm).toCompletableFuture().get(5, TimeUnit.SECONDS);
        check(API_SPEC, Request.Method.GET, API + "/Messages/" + sm + ".json",
                asAccount().get(API + "/Messages/" + sm + ".json"));
        check(API_SPEC, Request.Method.GET, API + "/Messages.json", asAccount().get(API + "/Messages.json"));

        assertThat(checked).hasSize(15);
    }

    @Test
    void trunkingAndLookupsResponsesMatchTheSpec() {
        var trunk = check(TRUNKING_SPEC, Request.Method.POST, TRUNKING + "/Trunks", asAccount()
                .formParam("FriendlyName", "switchboard").formParam("DomainName", "sb-schema.pstn.twilio.com")
                .post(TRUNKING + "/Trunks"));
        String tk = trunk.jsonPath().getString("sid");
        check(TRUNKING_SPEC, Request.Method.GET, TRUNKING + "/Trunks/" + tk, asAccount().get(TRUNKING + "/Trunks/"
                + tk));
        check(TRUNKING_SPEC, Request.Method.GET, TRUNKING + "/Trunks", asAccount().get(TRUNKING + "/Trunks"));

        String cl = asAccount().formParam("FriendlyName", "switchboard").post(API + "/SIP/CredentialLists.json")
                .then().statusCode(201).extract().path("sid");
        String lists = TRUNKING + "/Trunks/" + tk + "/CredentialLists";
        check(TRUNKING_SPEC, Request.Method.POST, lists, asAccount().formParam("CredentialListSid", cl).post(lists));
        check(TRUNKING_SPEC, Request.Method.GET, lists, asAccount().get(lists));
        check(TRUNKING_SPEC, Request.Method.GET, lists + "/" + cl, asAccount().get(lists + "/" + cl));
        String origination = TRUNKING + "/Trunks/" + tk + "/OriginationUrls";
        check(TRUNKING_SPEC, Request.Method.POST, origination, asAccount().formParam("FriendlyName", "agents")
                .formParam("SipUrl", "sip:agents.example.test").formParam("Weight", 10).formParam("Priority", 10)
                .formParam("Enabled", true).post(origination));
        check(TRUNKING_SPEC, Request.Method.GET, origination, asAccount().get(origination));

        check(LOOKUPS_SPEC, Request.Method.GET, LOOKUPS + "/PhoneNumbers/+14155550100",
                asAccount().get(LOOKUPS + "/PhoneNumbers/+14155550100"));
        check(LOOKUPS_SPEC, Request.Method.GET, LOOKUPS + "/PhoneNumbers/+1415", asAccount().get(LOOKUPS
                + "/PhoneNumbers/+1415"));
        assertThat(checked).hasSize(10);
    }

    @Test
    void conferenceResponsesMatchTheSpec() throws Exception {
        String name = "schema-" + System.nanoTime();
        String participants = API + "/Conferences/" + name + "/Participants.json";
        var created = check(API_SPEC, Request.Method.POST, participants, asAccount().formParam("From", NUMBER)
                .formParam("To", "+14155550998").formParam("StatusCallback", hooks + "/callback/participant")
                .formParam("Label", "target").post(participants));
        String target = created.jsonPath().getString("call_sid");
        String conference = created.jsonPath().getString("conference_sid");
        io.switchboard.support.Await.until(java.time.Duration.ofSeconds(5), () -> simulator.liveConferences().stream()
                .anyMatch(c -> "connected".equals(c.participants().get(target))), "the participant to join");
        String participant = API + "/Conferences/" + conference + "/Participants/" + target + ".json";
        check(API_SPEC, Request.Method.POST, participant, asAccount().formParam("Hold", "true")
                .formParam("HoldUrl", "https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical")
                .post(participant));
        check(API_SPEC, Request.Method.GET, API + "/Conferences/" + conference + ".json",
                asAccount().get(API + "/Conferences/" + conference + ".json"));
        simulator.hangUp(target);
        simulator.callFinished(target).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(checked).hasSize(3);
    }

    @Test
    void theValidatorRefusesWhatTheSpecForbids() {
        // Guards the tests above against a validator that silently accepts everything (an unmatched path, say).
        var bogus = SimpleResponse.Builder.status(200).withContentType("application/json")
                .withBody("{\"sid\": \"XX1\", \"status\": \"dancing\"}").build();
        var report = API_SPEC.validateResponse(API.replace("/sim/api", "") + "/Calls/CA" + "0".repeat(32) + ".json",
                Request.Method.GET, bogus);
        assertThat(report.getMessages()).extracting(ValidationReport.Message::getMessage)
                .anySatisfy(m -> assertThat(m).contains("XX1"))
                .anySatisfy(m -> assertThat(m).contains("dancing"));
    }

    /** Validates a successful response against the operation of {@code simPath} (its /sim/{product} prefix cut). */
    private io.restassured.response.Response check(OpenApiInteractionValidator validator, Request.Method method,
            String simPath, io.restassured.response.Response response) {
        assertThat(response.statusCode()).as("%s %s", method, simPath).isBetween(200, 299);
        String specPath = simPath.replaceFirst("^/sim/[a-z]+", "");
        var built = SimpleResponse.Builder.status(response.statusCode())
                .withContentType(response.contentType())
                .withBody(response.asString())
                .build();
        ValidationReport report = validator.validateResponse(specPath, method, built);
        assertThat(report.getMessages()).as("%s %s: %s", method, specPath, response.asString()).isEmpty();
        checked.add(method + " " + specPath);
        return response;
    }

    private static OpenApiInteractionValidator validator(String spec) {
        try (var in = SimulatorSchemaTest.class.getResourceAsStream("/twilio-oai/" + spec)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return OpenApiInteractionValidator.createForInlineApiSpecification(json)
                    .withLevelResolver(LevelResolver.create().build())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
