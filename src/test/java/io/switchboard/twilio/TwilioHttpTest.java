package io.switchboard.twilio;

import static io.switchboard.twilio.FakeTwilio.ACCOUNT_SID;
import static io.switchboard.twilio.FakeTwilio.CALL_SID;
import static io.switchboard.twilio.FakeTwilio.TRUNK_SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.FakeTwilio.Reply;
import io.switchboard.twilio.TwilioException.Kind;
import io.vertx.mutiny.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire layer's classification of every way a request can end, one request at a time: no fault tolerance here
 * (the client is built without Quarkus), so each test also proves the wire layer never retries on its own.
 */
class TwilioHttpTest {

    private static final String AUTH_TOKEN = "auth-token-0123456789abcdef0123456";
    private static final TwilioCredentials CREDS = TwilioCredentials.withAuthToken(ACCOUNT_SID, AUTH_TOKEN,
            TwilioRegion.US1);
    private static final CallRequest CALL = CallRequest.of("+14155550101", FakeTwilio.NUMBER,
            "https://sb.example.com/twilio/outbound");

    private static Vertx vertx;
    private static FakeTwilio twilio;
    private static TwilioClient client;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        twilio = FakeTwilio.start();
        client = clientFor(twilio.endpoints());
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
    void rateLimitIsRetryableAndKeepsRetryAfter() {
        twilio.enqueue(new Reply(429, Map.of("Retry-After", "2", "Content-Type", "application/json"),
                "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}"));

        var e = failure(client.createCall(CREDS, CALL));

        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.code()).isEqualTo(20429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(e).isNotInstanceOf(TwilioUnavailableException.class);
    }

    @Test
    void code20429WithAnotherStatusIsRetryableToo() {
        twilio.enqueue(Reply.error(503, 20429, "Too many concurrent requests"));

        assertThat(failure(client.createCall(CREDS, CALL)).kind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void aServerErrorOnACreateIsAmbiguousAndSentOnce() {
        twilio.enqueue(Reply.error(500, 20500, "Internal Server Error"));

        var e = failure(client.createCall(CREDS, CALL));

        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e).isInstanceOf(TwilioUnavailableException.class);
        assertThat(twilio.requests()).hasSize(1);
    }

    @Test
    void aServerErrorOnAReadOrAnUpdateIsRetryable() {
        twilio.enqueue(new Reply(502, Map.of("Content-Type", "text/html"), "<html>Bad Gateway</html>"),
                Reply.error(503, 20503, "Service Unavailable"));

        assertThat(failure(client.fetchCall(CREDS, CALL_SID)).kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure(client.updateCall(CREDS, CALL_SID, "completed")).kind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void aTimeoutOnACreateIsAmbiguousAndOnAReadRetryable() {
        var impatient = clientFor(twilio.endpoints(), Duration.ofMillis(200));
        twilio.always(request -> Reply.silence());

        var create = failure(impatient.createMessage(CREDS, MessageRequest.from("+14155550101", "+14155550100", "Hi")));
        var read = failure(impatient.fetchCall(CREDS, CALL_SID));

        assertThat(create.kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(create.httpStatus()).isZero();
        assertThat(read.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(twilio.requests()).hasSize(2);
    }

    @Test
    void connectionRefusedIsRetryableEvenForACreate() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = clientFor(new TwilioEndpoints(Optional.of("http://localhost:" + closedPort + "/api"),
                Optional.empty(), Optional.empty()));

        var e = failure(nowhere.createCall(CREDS, CALL));

        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.isUnavailable()).isTrue();
        assertThat(e.httpStatus()).isZero();
    }

    @Test
    void aClientErrorIsPermanentWithTwiliosCodeAndMessage() {
        twilio.enqueue(Reply.error(400, 21211, "Invalid 'To' Phone Number: +1415555010199"));

        var e = failure(client.createCall(CREDS, CALL));

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(21211);
        assertThat(e.getMessage()).contains("Invalid 'To' Phone Number").contains("21211").contains("/Calls.json")
                // Full phone numbers stay out of logs.
                .doesNotContain("+1415555010199");
        assertThat(e).isNotInstanceOf(TwilioUnavailableException.class);
    }

    @Test
    void authenticationFailureIsRecognisable() {
        twilio.enqueue(Reply.error(401, 20003, "Authenticate"));

        var e = failure(client.fetchAccount(CREDS));

        assertThat(e.isAuthenticationFailure()).isTrue();
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void credentialsNeverAppearInMessagesOrToString() {
        var key = new TwilioCredentials(ACCOUNT_SID, AUTH_TOKEN, "SK" + "0123456789abcdef".repeat(2),
                "api-key-secret-0123456789abcdef", TwilioRegion.US1, null);
        // A misbehaving server that echoes what it was sent, Authorization header included.
        twilio.always(request -> Reply.error(400, 20001, "echo " + request.headers().get("Authorization") + " "
                + "api-key-secret-0123456789abcdef"));

        var e = failure(client.fetchAccount(key));
        var refused = failure(clientFor(new TwilioEndpoints(Optional.of("http://localhost:1/api"), Optional.empty(),
                Optional.empty())).fetchAccount(key));

        for (var text : new String[] { e.getMessage(), e.toString(), refused.getMessage(), key.toString(),
            CREDS.toString() }) {
            assertThat(text).doesNotContain(AUTH_TOKEN).doesNotContain("api-key-secret-0123456789abcdef")
                    .doesNotContain(twilio.requests().get(0).headers().get("Authorization").substring(6));
        }
    }

    @Test
    void deletingWhatIsAlreadyGoneSucceeds() {
        twilio.enqueue(Reply.error(404, 20404, "The requested resource was not found"));

        client.deleteTrunk(CREDS, TRUNK_SID).await().atMost(Duration.ofSeconds(5));

        assertThat(twilio.requests()).hasSize(1);
    }

    @Test
    void paginationFollows2010NextPageUriOnOurOwnBase() {
        var page1 = """
                {"calls": [%s], "next_page_uri": "/2010-04-01/Accounts/%s/Calls.json?PageSize=1&Page=1&PageToken=PA1"}
                """.formatted(call("CA" + "a".repeat(32)), ACCOUNT_SID);
        var page2 = "{\"calls\": [%s], \"next_page_uri\": null}".formatted(call("CA" + "b".repeat(32)));
        twilio.enqueue(Reply.json(200, page1), Reply.json(200, page2));

        var calls = client.listCalls(CREDS, new CallFilter(null, null, null, null, 10))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(calls).extracting(TwilioCall::sid).containsExactly("CA" + "a".repeat(32), "CA" + "b".repeat(32));
        assertThat(twilio.requests()).hasSize(2);
        assertThat(twilio.requests().get(1).product()).isEqualTo("api");
        assertThat(twilio.requests().get(1).query().get("PageToken")).isEqualTo("PA1");
    }

    @Test
    void paginationFollowsTrunkingMetaNextPageUrlButNeverItsHost() {
        var page1 = """
                {"credential_lists": [{"sid": "CL%s", "friendly_name": "one"}],
                 "meta": {"key": "credential_lists",
                          "next_page_url": "https://trunking.twilio.com/v1/Trunks/%s/CredentialLists?%s"}}
                """.formatted("a".repeat(32), TRUNK_SID, "PageSize=1&Page=1&PageToken=PA1");
        var page2 = """
                {"credential_lists": [{"sid": "CL%s", "friendly_name": "two"}], "meta": {"next_page_url": null}}
                """.formatted("b".repeat(32));
        twilio.enqueue(Reply.json(200, page1), Reply.json(200, page2));

        var lists = client.listTrunkCredentialLists(CREDS, TRUNK_SID).await().atMost(Duration.ofSeconds(5));

        assertThat(lists).extracting(CredentialList::friendlyName).containsExactly("one", "two");
        assertThat(twilio.requests()).hasSize(2);
        assertThat(twilio.requests().get(1).product()).isEqualTo("trunking");
        assertThat(twilio.requests().get(1).productPath()).isEqualTo("/v1/Trunks/" + TRUNK_SID + "/CredentialLists");
    }

    @Test
    void listingStopsAtTheLimit() {
        var page1 = "{\"calls\": [%s, %s], \"next_page_uri\": \"/2010-04-01/Accounts/%s/Calls.json?Page=1\"}"
                .formatted(call("CA" + "a".repeat(32)), call("CA" + "b".repeat(32)), ACCOUNT_SID);
        twilio.enqueue(Reply.json(200, page1));

        var calls = client.listCalls(CREDS, new CallFilter(null, null, null, null, 1))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(calls).hasSize(1);
        assertThat(twilio.requests()).hasSize(1);
    }

    private static String call(String sid) {
        return "{\"sid\": \"%s\", \"status\": \"completed\", \"duration\": \"42\"}".formatted(sid);
    }

    private static TwilioClient clientFor(TwilioEndpoints endpoints) {
        return clientFor(endpoints, Duration.ofSeconds(5));
    }

    private static TwilioClient clientFor(TwilioEndpoints endpoints, Duration timeout) {
        return new TwilioClient(new TwilioHttp(TwilioHttp.webClient(vertx, TestClientConfig.DEFAULT),
                new ObjectMapper(), endpoints, timeout));
    }

    private static TwilioException failure(Uni<?> uni) {
        return catchThrowableOfType(TwilioException.class, () -> uni.await().atMost(Duration.ofSeconds(10)));
    }
}
