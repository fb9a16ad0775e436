package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** One simulated Twilio account and what it owns. Guarded by the monitor of {@link Accounts}. */
final class SimAccount {

    final String sid;
    /** The US1 auth token. Replaced by a rotation, as when the customer changes it in Twilio's console. */
    volatile String authToken;
    /** The US1 secondary auth token during a rotation: it authenticates REST requests, never signs a webhook. */
    volatile String secondaryAuthToken;
    /** The auth tokens of the other regions the account works in; each is valid only in its region. */
    final Map<SimRegion, String> regionalAuthTokens = new LinkedHashMap<>();
    /** API key SID to secret; each key valid only in its region ({@link #apiKeyRegions}, US1 when absent). */
    final Map<String, String> apiKeys = new LinkedHashMap<>();
    final Map<String, SimRegion> apiKeyRegions = new LinkedHashMap<>();
    final Map<String, SimNumber> numbers = new LinkedHashMap<>();
    /** The same numbers by their E.164 form, so that an account of tens of thousands stays quick to seed and search. */
    final Map<String, SimNumber> numbersByPhone = new LinkedHashMap<>();
    final Map<String, SimCredentialList> credentialLists = new LinkedHashMap<>();
    final Map<String, SimTrunk> trunks = new LinkedHashMap<>();
    /** Start times (ms) of the calls created in the last second, for the calls-per-second fault. */
    final Deque<Long> recentCalls = new ArrayDeque<>();
    /** The account's CPS, as Twilio enforces it ({@link Calls}): 0 for none. */
    int callsPerSecond;
    /** When ({@link System#nanoTime()}) the last calls created over REST were executed, at most callsPerSecond. */
    final Deque<Long> executions = new ArrayDeque<>();

    SimAccount(String sid, String authToken) {
        this.sid = sid;
        this.authToken = authToken;
    }

    final Instant created = Instant.now();

    /** The account as {@code GET /2010-04-01/Accounts/{Sid}.json} shows it. */
    JsonObject toJson() {
        return new JsonObject()
                .put("auth_token", authToken)
                .put("date_created", Sids.rfc2822(created))
                .put("date_updated", Sids.rfc2822(created))
                .put("friendly_name", "Simulated account " + sid)
                .put("owner_account_sid", sid)
                .put("sid", sid)
                .put("status", "active")
                .put("subresource_uris", new JsonObject()
                        .put("incoming_phone_numbers", uri("/IncomingPhoneNumbers.json"))
                        .put("calls", uri("/Calls.json"))
                        .put("messages", uri("/Messages.json")))
                .put("type", "Full")
                .put("uri", "/2010-04-01/Accounts/" + sid + ".json");
    }

    String uri(String rest) {
        return "/2010-04-01/Accounts/" + sid + rest;
    }

    SimNumber numberByPhone(String phoneNumber) {
        return numbersByPhone.get(phoneNumber);
    }

    /** The auth token valid in the region, or null when the account has none there. */
    String authToken(SimRegion region) {
        return region == SimRegion.US1 ? authToken : regionalAuthTokens.get(region);
    }

    /** Whether the API key is valid in the region (an API key works only in the region it was made in). */
    boolean apiKeyIn(String keySid, SimRegion region) {
        return apiKeys.containsKey(keySid) && apiKeyRegions.getOrDefault(keySid, SimRegion.US1) == region;
    }
}
