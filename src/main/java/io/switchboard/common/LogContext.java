package io.switchboard.common;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The ids every log line of a request carries (in the JSON log's {@code mdc} object): the request's own id, returned
 * to the client in {@value #REQUEST_ID_HEADER}, and the ids of what the request is about, which the auth filter and
 * the webhook routes add as they learn them. Quarkus keeps the MDC in the request's Vert.x context, so the ids follow
 * the request from the event loop to worker threads and database callbacks, and never leak into another request.
 */
@ApplicationScoped
public class LogContext {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String REQUEST_ID = "requestId";
    public static final String ORGANIZATION_ID = "organizationId";
    public static final String ACCOUNT_SID = "accountSid";
    public static final String PROVIDER_ID = "providerId";
    public static final String CALL_SID = "callSid";
    public static final String MESSAGE_SID = "messageSid";

    /**
     * An id the caller chose (an ingress's {@code X-Request-Id}, a client's correlation id) is kept when it is plainly
     * an id: anything else would put the caller's text into every line of the request.
     */
    private static final Pattern CALLERS_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    /** First of all routes, the webhooks' and the REST API's alike, so that every line of a request carries the id. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String id = ctx.request().getHeader(REQUEST_ID_HEADER);
            if (id == null || !CALLERS_ID.matcher(id).matches()) {
                id = newId();
            }
            ctx.response().putHeader(REQUEST_ID_HEADER, id);
            MDC.put(REQUEST_ID, id);
            ctx.next();
        });
    }

    /** Adds an id of what the current request is about; a null value adds nothing. */
    public static void put(String key, Object value) {
        if (value != null) {
            MDC.put(key, value.toString());
        }
    }

    /** 16 hex digits: unique enough to find a request's lines among a day's logs of every replica. */
    static String newId() {
        long bits = ThreadLocalRandom.current().nextLong();
        return String.format("%016x", bits);
    }
}
