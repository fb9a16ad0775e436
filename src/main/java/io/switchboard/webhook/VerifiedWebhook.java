package io.switchboard.webhook;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook whose X-Twilio-Signature checked out: its parameters (every one Twilio sent, repeated keys kept), the
 * account it came from, and Twilio's idempotency token when it sent one. Put on the routing context by the
 * signature check; handlers behind it read it with {@link #KEY}.
 */
public record VerifiedWebhook(String accountSid, MultiMap params, String idempotencyToken) {

    public static final String KEY = "switchboard.verified-webhook";

    public String param(String name) {
        return params.get(name);
    }

    /** All parameters as a plain map, for storing. */
    public Map<String, List<String>> paramsAsMap() {
        var map = new LinkedHashMap<String, List<String>>();
        for (String name : params.names()) {
            map.put(name, params.getAll(name));
        }
        return map;
    }
}
