package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A conference: its REST representation, its status callback (set by the first participant that names one, as
 * Twilio's {@code ConferenceStatusCallback} says), and its participants, from their create to their leaving. Changed
 * only under its own lock.
 */
final class SimConference {

    final String sid = Sids.next("CF");
    final String accountSid;
    final String friendlyName;
    final SimRegion region;
    final Instant created = Instant.now();
    final AtomicInteger sequence = new AtomicInteger(1);
    Instant updated = created;
    /** init (participants wait, hearing the wait music), in-progress (mixing), completed. */
    String status = "init";
    String reasonEnded;
    String callSidEndingConference;
    String statusCallback;
    String statusCallbackMethod = "POST";
    Set<String> statusCallbackEvents = Set.of();
    /** Every participant not gone yet, by call SID: dialed ones from their create, others from their joining. */
    final Map<String, Participant> participants = new LinkedHashMap<>();

    SimConference(String accountSid, String friendlyName, SimRegion region) {
        this.accountSid = accountSid;
        this.friendlyName = friendlyName;
        this.region = region;
    }

    /** One participant's call in the conference. */
    static final class Participant {
        final String callSid;
        final String label;
        final boolean startConferenceOnEnter;
        final boolean endConferenceOnExit;
        final Instant created = Instant.now();
        Instant updated = created;
        /** queued, ringing, connected (joined), complete or failed. */
        String status = "queued";
        boolean hold;
        String holdUrl;
        /** Completed when the conference ends or the participant is removed: the participant leaves it then. */
        final CompletableFuture<Void> removed = new CompletableFuture<>();

        Participant(String callSid, String label, boolean startConferenceOnEnter, boolean endConferenceOnExit) {
            this.callSid = callSid;
            this.label = label;
            this.startConferenceOnEnter = startConferenceOnEnter;
            this.endConferenceOnExit = endConferenceOnExit;
        }

        boolean joined() {
            return "connected".equals(status);
        }
    }

    boolean isOver() {
        return "completed".equals(status);
    }

    void moveTo(String newStatus) {
        status = newStatus;
        updated = Instant.now();
    }

    /** The parameters of every status callback of the conference; a participant's own for its events. */
    Map<String, java.util.List<String>> callbackParams(String event, Participant participant) {
        var params = new LinkedHashMap<String, java.util.List<String>>();
        params.put("AccountSid", java.util.List.of(accountSid));
        params.put("ConferenceSid", java.util.List.of(sid));
        params.put("FriendlyName", java.util.List.of(friendlyName));
        params.put("StatusCallbackEvent", java.util.List.of(event));
        params.put("SequenceNumber", java.util.List.of(Integer.toString(sequence.getAndIncrement())));
        params.put("Timestamp", java.util.List.of(Sids.rfc2822(Instant.now())));
        if (participant != null) {
            params.put("CallSid", java.util.List.of(participant.callSid));
            params.put("Hold", java.util.List.of(Boolean.toString(participant.hold)));
            params.put("Muted", java.util.List.of("false"));
            params.put("Coaching", java.util.List.of("false"));
            params.put("StartConferenceOnEnter",
                    java.util.List.of(Boolean.toString(participant.startConferenceOnEnter)));
            params.put("EndConferenceOnExit", java.util.List.of(Boolean.toString(participant.endConferenceOnExit)));
            if (participant.label != null) {
                params.put("ParticipantLabel", java.util.List.of(participant.label));
            }
        }
        if ("conference-end".equals(event)) {
            params.put("ReasonConferenceEnded", java.util.List.of(reasonEnded));
            if (callSidEndingConference != null) {
                params.put("CallSidEndingConference", java.util.List.of(callSidEndingConference));
            }
        }
        return params;
    }

    /**
     * The REST representation. The end's reason is left out until the conference has ended: Twilio's null there is not
     * among the values the spec's enum allows.
     */
    JsonObject toJson() {
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Conferences/" + sid;
        var json = new JsonObject()
                .put("account_sid", accountSid)
                .put("date_created", Sids.rfc2822(created))
                .put("date_updated", Sids.rfc2822(updated))
                .put("api_version", "2010-04-01")
                .put("friendly_name", friendlyName)
                .put("region", region.id())
                .put("sid", sid)
                .put("status", status)
                .put("uri", uri + ".json")
                .put("subresource_uris", new JsonObject()
                        .put("participants", uri + "/Participants.json")
                        .put("recordings", uri + "/Recordings.json"))
                .put("call_sid_ending_conference", callSidEndingConference);
        if (reasonEnded != null) {
            json.put("reason_conference_ended", reasonEnded);
        }
        return json;
    }

    JsonObject toJson(Participant participant) {
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("call_sid", participant.callSid)
                .put("label", participant.label)
                .put("call_sid_to_coach", null)
                .put("coaching", false)
                .put("conference_sid", sid)
                .put("date_created", Sids.rfc2822(participant.created))
                .put("date_updated", Sids.rfc2822(participant.updated))
                .put("end_conference_on_exit", participant.endConferenceOnExit)
                .put("muted", false)
                .put("hold", participant.hold)
                .put("start_conference_on_enter", participant.startConferenceOnEnter)
                .put("status", participant.status)
                .put("queue_time", "0")
                .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Conferences/" + sid + "/Participants/"
                        + participant.callSid + ".json");
    }
}
