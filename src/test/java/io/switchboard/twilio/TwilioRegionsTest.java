package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a simulator that keeps regions apart: each request goes to the region that serves it, with the
 * credentials valid there; what Twilio serves only from US1 uses the US1 credentials, or is not sent at all.
 */
@QuarkusTest
class TwilioRegionsTest {

    private static final String MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json";
    private static final String CALL = "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json";

    @Inject
    TwilioClient twilio;

    @Inject
    TwilioSimulator simulator;

    @Inject
    WebhookUrls urls;

    private SimAccount account;
    private String au1Token;
    private TwilioCredentials au1;

    @BeforeEach
    void account() {
        account = SimAccount.create(simulator, 1);
        au1Token = SimAccount.hex(16);
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.AU1, au1Token);
        au1 = TwilioCredentials.withAuthToken(account.accountSid(), au1Token, TwilioRegion.AU1);
    }

    @Test
    void regionalCredentialsWorkInTheirRegionOnly() {
        twilio.verifyCredentials(au1).await().atMost(Duration.ofSeconds(10));
        var inUs1 = TwilioCredentials.withAuthToken(account.accountSid(), au1Token, TwilioRegion.US1);
        assertThatThrownBy(() -> twilio.verifyCredentials(inUs1).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TwilioException.class, e -> assertThat(e.isAuthenticationFailure()).isTrue());
    }

    @Test
    void anAu1MessageWithoutUs1CredentialsIsNotSent() {
        assertThatThrownBy(() -> twilio.createMessage(au1, message()).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(Us1CredentialsRequired.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.isUnavailable()).isFalse();
                    assertThat(e.getMessage()).contains("au1").contains("us1AuthToken").doesNotContain(au1Token);
                });
        assertThat(requests(MESSAGES)).isEmpty();
        assertThat(TwilioErrorMapper.status(new Us1CredentialsRequired(TwilioRegion.AU1, "x"))).isEqualTo(422);
        assertThat(TwilioErrorMapper.error(new Us1CredentialsRequired(TwilioRegion.AU1, "x"), List.of()).error())
                .isEqualTo("us1_credentials_required");
    }

    @Test
    void anAu1MessageGoesToUs1WithTheUs1Credentials() {
        var withUs1 = au1.withUs1(account.authToken(), null, null);
        var sent = twilio.createMessage(withUs1, message()).await().atMost(Duration.ofSeconds(10));
        assertThat(sent.sid()).startsWith("SM");
        assertThat(requests(MESSAGES)).singleElement().satisfies(r -> {
            assertThat(r.region()).isEqualTo("us1");
            assertThat(r.status()).isEqualTo(201);
        });
        assertThat(twilio.fetchMessage(withUs1, sent.sid()).await().atMost(Duration.ofSeconds(10)).sid())
                .isEqualTo(sent.sid());
    }

    @Test
    void anIe1MessageStaysInIe1() {
        String ie1Token = SimAccount.hex(16);
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.IE1, ie1Token);
        var ie1 = TwilioCredentials.withAuthToken(account.accountSid(), ie1Token, TwilioRegion.IE1)
                .withUs1(account.authToken(), null, null);
        twilio.createMessage(ie1, message()).await().atMost(Duration.ofSeconds(10));
        assertThat(requests(MESSAGES)).singleElement().satisfies(r -> assertThat(r.region()).isEqualTo("ie1"));
    }

    @Test
    void aLiveCallIsUpdatedInTheRegionThatHandlesIt() {
        var withUs1 = au1.withUs1(account.authToken(), null, null);
        var call = twilio.createCall(withUs1, CallRequest.of("+15105550123", account.numbers().get(0),
                urls.voiceOutbound("00000000-0000-0000-0000-000000000000"))).await().atMost(Duration.ofSeconds(10));
        twilio.updateCall(withUs1, call.sid(), "completed").await().atMost(Duration.ofSeconds(10));
        assertThat(requests(CALL)).isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.region()).isEqualTo("au1");
                    assertThat(r.status()).isEqualTo(200);
                });
    }

    @Test
    void theOverrideNamesTheRegionServed() {
        var sim = new TwilioEndpoints(java.util.Optional.of("http://localhost:1/sim/{region}/api"),
                java.util.Optional.empty(), java.util.Optional.empty());
        assertThat(sim.baseUrl(TwilioEndpoints.Product.API, TwilioRegion.AU1, null))
                .isEqualTo("http://localhost:1/sim/au1/api");
        assertThat(sim.baseUrl(TwilioEndpoints.Product.MESSAGING, TwilioRegion.AU1, null))
                .isEqualTo("http://localhost:1/sim/us1/api");
        assertThat(sim.baseUrl(TwilioEndpoints.Product.MESSAGING, TwilioRegion.IE1, null))
                .isEqualTo("http://localhost:1/sim/ie1/api");
        assertThat(TwilioRegion.AU1.needsUs1Credentials()).isTrue();
        assertThat(TwilioRegion.IE1.needsUs1Credentials()).isFalse();
    }

    private MessageRequest message() {
        return MessageRequest.from("+15105550123", account.numbers().get(0), "hello");
    }

    private List<Recorded.Request> requests(String route) {
        return simulator.requests().stream()
                .filter(r -> r.route().equals(route) && r.path().contains(account.accountSid()))
                .toList();
    }
}
