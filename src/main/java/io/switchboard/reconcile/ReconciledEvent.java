package io.switchboard.reconcile;

import io.switchboard.webhook.CallbackEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The event that records a status learned by asking Twilio rather than from a callback. Its parameters are named as
 * the kind's callbacks name them, so a reader of the events finds the same fields; its dedupe key is its type, sid
 * and status, so reconciling the same status twice stores it once.
 */
public final class ReconciledEvent {

    /** The type of every reconciled event, of calls and messages alike. */
    public static final String TYPE = "reconciled-status";

    private ReconciledEvent() {
    }

    /**
     * The event of one status Twilio reported.
     *
     * @param params the callback parameters Twilio's answer gives, in the map's order; a null value is left out
     */
    public static CallbackEvent of(String sid, String status, Map<String, String> params) {
        var json = new JsonObject();
        params.forEach((name, value) -> {
            if (value != null) {
                json.put(name, new JsonArray().add(CallbackEvent.clean(value)));
            }
        });
        return new CallbackEvent(TYPE, sid, status, null, OffsetDateTime.now(ZoneOffset.UTC), json.encode(),
                TYPE + "|" + sid + "|" + status);
    }
}
