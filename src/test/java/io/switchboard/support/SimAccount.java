package io.switchboard.support;

import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A fresh Twilio account in the simulator, with its own numbers, so tests never share Twilio state. */
public record SimAccount(String accountSid, String authToken, List<String> numbers) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static SimAccount create(TwilioSimulator simulator, int numberCount) {
        String sid = "AC" + hex(16);
        String token = hex(16);
        simulator.createAccount(sid, token);
        var numbers = new ArrayList<String>();
        for (int i = 0; i < numberCount; i++) {
            String number = randomNumber();
            simulator.addNumber(sid, number);
            numbers.add(number);
        }
        return new SimAccount(sid, token, List.copyOf(numbers));
    }

    /** A US number in the 555-01xx-like fictional range, random enough to be unique in one test run. */
    public static String randomNumber() {
        return "+1415" + (2000000 + RANDOM.nextInt(7999999));
    }

    public static String hex(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    /**
     * Makes the account's auth token valid in another region too. Twilio's regional tokens are distinct; the same
     * value here keeps the simulator's webhook signatures (made with the account's token) valid for tests about
     * something else.
     */
    public SimAccount alsoIn(TwilioSimulator simulator, SimRegion region) {
        simulator.addRegionalAuthToken(accountSid, region, authToken);
        return this;
    }

    /** The body of {@code POST /v1/providers} for this account. */
    public Map<String, Object> providerRequest(String name) {
        return Map.of("type", "twilio", "name", name, "accountSid", accountSid, "authToken", authToken);
    }
}
