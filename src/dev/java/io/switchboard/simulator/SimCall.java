package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A call: its REST representation and the state its lifecycle moves through. */
final class SimCall {

    final String sid = Sids.next("CA");
    final String accountSid;
    final String from;
    final String to;
    final String direction;
    /**
     * The region that handles the call: where it was placed (inbound calls: US1). Regions are isolated, so the call
     * is seen and updated only there.
     */
    SimRegion region = SimRegion.US1;
    /** When Twilio received the request that made the call (an outbound create), or when it began (inbound, legs). */
    final Instant created;
    /** How long Twilio queued the create before executing it: over the account's CPS (see {@link Calls}). */
    long queuedNanos;
    final AtomicInteger sequence = new AtomicInteger();
    /** Completed when a REST update asks to hang up or cancel. */
    final CompletableFuture<Void> endRequested = new CompletableFuture<>();
    /**
     * Completed when the agent the call is connected to ends its side on purpose (closes its stream or session, hangs
     * up its leg); replaced with a new one for each agent leg.
     */
    volatile CompletableFuture<Void> agentLegEnded = new CompletableFuture<>();
    /** The referUrl of the {@code <Dial>} holding the call with its SIP agent; null while none does. */
    volatile Twiml.ReferDial referDial;
    /**
     * Completed with the TwiML the referUrl answered when the SIP agent handed the caller on with a REFER: the agent's
     * leg ends, and the caller's runs that TwiML; replaced with a new one for each agent leg.
     */
    volatile CompletableFuture<Twiml> referred = new CompletableFuture<>();
    /**
     * Completed when a REST update gives the call new TwiML, which ends what it ran (a conference it was in, say);
     * replaced with a new one for the new TwiML.
     */
    volatile CompletableFuture<Void> twimlReplaced = new CompletableFuture<>();
    /** Completed once the lifecycle has sent its last callback. */
    final CompletableFuture<SimulatedCall> finished = new CompletableFuture<>();
    String phoneNumberSid;
    String url;
    String method = "POST";
    String twiml;
    String statusCallback;
    String statusCallbackMethod = "POST";
    Set<String> statusCallbackEvents = Set.of("completed");
    boolean record;
    /** {@code Enable} or {@code DetectMessageEnd} when the create asked for answering machine detection. */
    String machineDetection;
    boolean asyncAmd;
    String asyncAmdStatusCallback;
    String asyncAmdStatusCallbackMethod = "POST";
    /** What detection found once the call was answered (human, machine_start, machine_end_beep), else null. */
    String answeredBy;
    String recordingStatusCallback;
    String recordingStatusCallbackMethod = "POST";
    Set<String> recordingStatusCallbackEvents = Set.of("completed");
    String status = "queued";
    Instant updated;
    Instant startTime;
    Instant endTime;
    Integer duration;
    List<String> recordingSids = List.of();
    /** The recordings of the answered call, oldest first, as REST updates change them. */
    final List<SimCallRecording> recordings = new ArrayList<>();

    SimCall(String accountSid, String from, String to, String direction) {
        this(accountSid, from, to, direction, Instant.now());
    }

    SimCall(String accountSid, String from, String to, String direction, Instant created) {
        this.accountSid = accountSid;
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.created = created;
        this.updated = created;
    }

    boolean isTerminal() {
        return switch (status) {
            case "completed", "busy", "failed", "no-answer", "canceled" -> true;
            default -> false;
        };
    }

    void moveTo(String newStatus) {
        status = newStatus;
        updated = Instant.now();
        if ("in-progress".equals(newStatus)) {
            startTime = updated;
        }
        if (isTerminal()) {
            endTime = updated;
            duration = startTime == null ? 0 : (int) Math.max(1, Duration.between(startTime, endTime).toSeconds());
        }
    }

    /** Under the call's lock, which every change to it holds too. */
    synchronized SimulatedCall snapshot() {
        return new SimulatedCall(sid, accountSid, from, to, direction, status, url, duration, created, recordingSids,
                queuedNanos > 0, queuedNanos / 1_000_000, answeredBy);
    }

    JsonObject toJson() {
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Calls/" + sid;
        return new JsonObject()
                .put("sid", sid)
                .put("date_created", Sids.rfc2822(created))
                .put("date_updated", Sids.rfc2822(updated))
                .put("parent_call_sid", null)
                .put("account_sid", accountSid)
                .put("to", to)
                .put("to_formatted", NumberingPlan.nationalFormat(to))
                .put("from", from)
                .put("from_formatted", NumberingPlan.nationalFormat(from))
                .put("phone_number_sid", phoneNumberSid)
                .put("status", status)
                .put("start_time", Sids.rfc2822(startTime))
                .put("end_time", Sids.rfc2822(endTime))
                .put("duration", duration == null ? null : duration.toString())
                .put("price", null)
                .put("price_unit", "USD")
                .put("direction", direction)
                .put("answered_by", answeredBy)
                .put("api_version", "2010-04-01")
                .put("forwarded_from", null)
                .put("group_sid", null)
                .put("caller_name", null)
                .put("queue_time", "0")
                .put("trunk_sid", null)
                .put("uri", uri + ".json")
                .put("subresource_uris", new JsonObject()
                        .put("notifications", uri + "/Notifications.json")
                        .put("recordings", uri + "/Recordings.json")
                        .put("events", uri + "/Events.json"));
    }
}
