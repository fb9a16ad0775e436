package io.switchboard.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the simulator saw and did, kept for tests to assert on. */
public final class Recorded {

    private Recorded() {
    }

    /**
     * One REST request. {@code route} is the matched pattern with the product's base, e.g.
     * {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}; {@code status} is the HTTP status answered;
     * {@code region} the region it was sent to ({@code us1}, {@code ie1}, {@code au1}).
     */
    public record Request(Instant at, String method, String path, String route, String accountSid,
            Map<String, List<String>> params, int status, String region) {
    }

    /** TwiML the service answered for a call (outbound answer or inbound webhook) or an inbound SMS. */
    public record Twiml(Instant at, String sid, String url, int status, String contentType, String body) {
    }

    /**
     * One signed request (one try of a delivery) the simulator sent to the service. {@code kind}: {@code call-status},
     * {@code recording}, {@code message-status}, {@code voice}, {@code sms}, {@code twiml}, {@code action} (a
     * {@code <Connect>} or {@code <Dial>} action). {@code url} is the URL as
     * registered, connection overrides included, and the one signed; the request went without its fragment.
     * {@code status} is 0 when no answer came. {@code attempt} is 1 for the first try, 2 for the first retry, and so
     * on; the retries of a delivery carry its idempotency token.
     */
    public record Callback(Instant at, String kind, String sid, String method, String url,
            Map<String, List<String>> params, String signature, String idempotencyToken, int status, int attempt) {
    }
}
