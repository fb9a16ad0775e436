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
    /** Replaced by a rotation, as when the customer changes it in Twilio's console. */
    volatile String authToken;
    final Map<String, String> apiKeys = new LinkedHashMap<>();
    final Map<String, SimNumber> numbers = new LinkedHashMap<>();
    final Map<String, SimCredentialList> credentialLists = new LinkedHashMap<>();
    final Map<String, SimTrunk> trunks = new LinkedHashMap<>();
    /** Start times (ms) of the calls created in the last second, for the calls-per-second fault. */
    final Deque<Long> recentCalls = new ArrayDeque<>();

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
        return numbers.values().stream().filter(n -> n.phoneNumber.equals(phoneNumber)).findFirst().orElse(null);
    }
}
