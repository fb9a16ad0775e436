package io.switchboard.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.switchboard.twilio.TwilioSignature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Posts a form to a {@code /twilio} endpoint signed as Twilio signs it, optionally with an idempotency token. */
public final class SignedWebhook {

    private SignedWebhook() {
    }

    /** The public origin the service rebuilds signed URLs from, as the running test configuration has it. */
    public static String base() {
        return ConfigProvider.getConfig().getValue("switchboard.twilio.webhook.public-base-url", String.class);
    }

    public static Response post(String path, Map<String, List<String>> params, String authToken) {
        return post(path, params, authToken, null);
    }

    public static Response post(String path, Map<String, List<String>> params, String authToken, String token) {
        var request = given().header(TwilioSignature.HEADER, TwilioSignature.sign(base() + path, params, authToken))
                .formParams(flatten(params));
        if (token != null) {
            request.header("I-Twilio-Idempotency-Token", token);
        }
        return request.post(path);
    }

    /**
     * Posts to the path of {@code url}, signed for that exact URL (which may not be the one the service rebuilds). A
     * fragment (connection overrides) is signed but, as from Twilio, never sent.
     */
    public static Response postSignedFor(String url, Map<String, List<String>> params, String authToken) {
        int fragment = url.indexOf('#');
        String path = url.substring(url.indexOf("/twilio"), fragment < 0 ? url.length() : fragment);
        return given().header(TwilioSignature.HEADER, TwilioSignature.sign(url, params, authToken))
                .formParams(flatten(params)).post(path);
    }

    /** What Twilio sends when a call comes in, with a fresh CallSid; in a mutable map, for tests to add to. */
    public static Map<String, List<String>> inboundCall(String accountSid, String from, String to) {
        var params = new LinkedHashMap<String, List<String>>();
        params.put("AccountSid", List.of(accountSid));
        params.put("CallSid", List.of("CA" + SimAccount.hex(16)));
        params.put("From", List.of(from));
        params.put("To", List.of(to));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        params.put("ApiVersion", List.of("2010-04-01"));
        return params;
    }

    /** Parameters in the order given, each with one value. */
    public static Map<String, List<String>> params(String... keysAndValues) {
        var params = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], List.of(keysAndValues[i + 1]));
        }
        return params;
    }

    public static Map<String, Object> flatten(Map<String, List<String>> params) {
        var flat = new LinkedHashMap<String, Object>();
        params.forEach((k, v) -> flat.put(k, v.size() == 1 ? v.get(0) : v));
        return flat;
    }
}
