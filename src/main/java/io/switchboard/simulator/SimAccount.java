package io.switchboard.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** One simulated Twilio account and what it owns. Guarded by the {@link TwilioSimulator}'s lock. */
final class SimAccount {

    final String sid;
    final String authToken;
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

    String uri(String rest) {
        return "/2010-04-01/Accounts/" + sid + rest;
    }

    SimNumber numberByPhone(String phoneNumber) {
        return numbers.values().stream().filter(n -> n.phoneNumber.equals(phoneNumber)).findFirst().orElse(null);
    }
}
