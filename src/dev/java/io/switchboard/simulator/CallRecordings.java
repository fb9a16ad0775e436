package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings/{Sid}.json}: pausing, resuming and stopping a
 * live call's recording. {@code Twilio.CURRENT} names the call's active recording ("Pass {@code Twilio.CURRENT}
 * instead of recording sid to reference current active recording", the operation's spec). A call that is not in
 * progress is refused with 21220 ("You attempted a realtime operation on a Call that was not in-progress",
 * https://www.twilio.com/docs/errors/21220); a recording that is not there, or no active one for
 * {@code Twilio.CURRENT}, is a 404 20404. Pausing and resuming send no recording status callback: those are sent for
 * in-progress, completed, absent and failed only
 * (https://help.twilio.com/articles/360014251313-Getting-Started-with-Recording-Status-Callbacks); stopping ends the
 * recording, whose completed callback is sent then, not again when the call ends.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class CallRecordings implements TwilioResource {

    static final String CURRENT = "Twilio.CURRENT";
    private static final Set<String> STATUSES = Set.of("paused", "in-progress", "stopped");
    private static final Set<String> PAUSE_BEHAVIORS = Set.of("skip", "silence");

    private static final Logger LOG = Logger.getLogger(CallRecordings.class);

    private final Calls calls;
    private final CallFlow flow;

    CallRecordings(Calls calls, CallFlow flow) {
        this.calls = calls;
        this.flow = flow;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Calls/{CallSid}/Recordings/{Sid}.json",
                x -> Reply.ok(update(x.account(), x.path("CallSid"), x.path("Sid"), x.form(), x.requestPath(),
                        x.region())));
    }

    JsonObject update(SimAccount account, String callSid, String sid, Params form, String path, SimRegion region) {
        String status = form.get("Status");
        String pauseBehavior = form.get("PauseBehavior", null);
        if (status == null || !STATUSES.contains(status)) {
            throw new SimError(400, 20001, "Status must be paused, in-progress or stopped");
        }
        if (pauseBehavior != null && !PAUSE_BEHAVIORS.contains(pauseBehavior)) {
            throw new SimError(400, 20001, "PauseBehavior must be skip or silence");
        }
        var call = calls.require(account, callSid, path, region);
        SimCallRecording recording;
        JsonObject answer;
        synchronized (call) {
            if (!"in-progress".equals(call.status)) {
                throw new SimError(400, 21220, "Call is not in-progress. Cannot update its recording.");
            }
            recording = find(call.recordings, sid);
            if (recording == null) {
                throw SimError.notFound(path);
            }
            recording.status = status;
            recording.pauseBehavior = "paused".equals(status) ? (pauseBehavior == null ? "silence" : pauseBehavior)
                    : recording.pauseBehavior;
            recording.updated = Instant.now();
            answer = recording.toJson(call);
        }
        if ("stopped".equals(status)) {
            String recordingSid = recording.sid;
            flow.recordingStopped(call, account.authToken, recording).subscribe().with(ignored -> {}, failure -> LOG
                    .warnf(failure, "simulated recording %s: its completed callback failed", recordingSid));
        }
        return answer;
    }

    /** The recording the sid names: {@code Twilio.CURRENT} the latest one not stopped. */
    private static SimCallRecording find(List<SimCallRecording> recordings, String sid) {
        for (int i = recordings.size() - 1; i >= 0; i--) {
            var recording = recordings.get(i);
            if (CURRENT.equals(sid) ? recording.isActive() : recording.sid.equals(sid) && recording.isActive()) {
                return recording;
            }
        }
        return null;
    }
}
