package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One recording of a live call as the call Recordings resource shows it: in-progress, paused or stopped by REST
 * updates. Guarded by the call's lock.
 */
final class SimCallRecording {

    final String sid;
    /** What asked for it: its source, channels and callback. */
    final Twiml.RecordingRequest request;
    final Instant started;
    String status = "in-progress";
    /** How the last pause was asked to be kept: {@code silence} (Twilio's default) or {@code skip}. */
    String pauseBehavior;
    Instant updated;

    SimCallRecording(String sid, Twiml.RecordingRequest request, Instant started) {
        this.sid = sid;
        this.request = request;
        this.started = started;
        this.updated = started;
    }

    /** Not stopped: what {@code Twilio.CURRENT} names. */
    boolean isActive() {
        return "in-progress".equals(status) || "paused".equals(status);
    }

    JsonObject toJson(SimCall call) {
        return new JsonObject()
                .put("account_sid", call.accountSid)
                .put("api_version", "2010-04-01")
                .put("call_sid", call.sid)
                .put("conference_sid", null)
                .put("date_created", Sids.rfc2822(started))
                .put("date_updated", Sids.rfc2822(updated))
                .put("start_time", Sids.rfc2822(started))
                .put("duration", null)
                .put("sid", sid)
                .put("price", null)
                .put("price_unit", null)
                .put("status", status)
                .put("channels", request.channels())
                .put("source", request.source())
                .put("error_code", null)
                .put("encryption_details", null)
                .put("track", "both")
                .put("uri", "/2010-04-01/Accounts/" + call.accountSid + "/Calls/" + call.sid + "/Recordings/" + sid
                        + ".json");
    }
}
