package io.switchboard.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The accounts as JSON and back: their credentials, numbers with their configuration, credential lists and trunks,
 * what Twilio keeps for an account however often its client restarts. Calls, messages, faults and timing are not kept.
 */
final class SimulatorState {

    static final int VERSION = 1;

    private SimulatorState() {
    }

    static JsonObject save(Collection<SimAccount> accounts) {
        var saved = new JsonArray();
        accounts.forEach(a -> saved.add(account(a)));
        return new JsonObject().put("version", VERSION).put("accounts", saved);
    }

    /** The saved accounts; an unknown version reads as none, so that the simulator starts from its configuration. */
    static List<SimAccount> load(JsonObject state) {
        var accounts = new ArrayList<SimAccount>();
        if (state.getInteger("version", 0) != VERSION) {
            return accounts;
        }
        state.getJsonArray("accounts", new JsonArray()).forEach(a -> accounts.add(account((JsonObject) a)));
        return accounts;
    }

    private static JsonObject account(SimAccount a) {
        var regional = new JsonObject();
        a.regionalAuthTokens.forEach((region, token) -> regional.put(region.name(), token));
        var keys = new JsonArray();
        a.apiKeys.forEach((sid, secret) -> keys.add(new JsonObject().put("sid", sid).put("secret", secret)
                .put("region", a.apiKeyRegions.getOrDefault(sid, SimRegion.US1).name())));
        var numbers = new JsonArray();
        a.numbers.values().forEach(n -> numbers.add(number(n)));
        var lists = new JsonArray();
        a.credentialLists.values().forEach(l -> lists.add(credentialList(l)));
        var trunks = new JsonArray();
        a.trunks.values().forEach(t -> trunks.add(trunk(t)));
        return new JsonObject().put("sid", a.sid).put("authToken", a.authToken).put("regionalAuthTokens", regional)
                .put("apiKeys", keys).put("callsPerSecond", a.callsPerSecond).put("numbers", numbers)
                .put("credentialLists", lists).put("trunks", trunks);
    }

    private static SimAccount account(JsonObject json) {
        var a = new SimAccount(json.getString("sid"), json.getString("authToken"));
        json.getJsonObject("regionalAuthTokens", new JsonObject()).forEach(e -> a.regionalAuthTokens.put(
                SimRegion.valueOf(e.getKey()), (String) e.getValue()));
        objects(json, "apiKeys").forEach(k -> {
            a.apiKeys.put(k.getString("sid"), k.getString("secret"));
            a.apiKeyRegions.put(k.getString("sid"), SimRegion.valueOf(k.getString("region")));
        });
        a.callsPerSecond = json.getInteger("callsPerSecond", 0);
        objects(json, "numbers").forEach(n -> {
            var number = number(n, a.sid);
            a.numbers.put(number.sid, number);
            a.numbersByPhone.put(number.phoneNumber, number);
        });
        objects(json, "credentialLists").forEach(l -> {
            var list = credentialList(l, a.sid);
            a.credentialLists.put(list.sid, list);
        });
        objects(json, "trunks").forEach(t -> {
            var trunk = trunk(t, a.sid);
            a.trunks.put(trunk.sid, trunk);
        });
        return a;
    }

    private static JsonObject number(SimNumber n) {
        return new JsonObject().put("sid", n.sid).put("phoneNumber", n.phoneNumber).put("created", n.created.toString())
                .put("updated", n.updated.toString()).put("friendlyName", n.friendlyName)
                .put("voiceUrl", n.voiceUrl).put("voiceMethod", n.voiceMethod)
                .put("voiceFallbackUrl", n.voiceFallbackUrl).put("voiceFallbackMethod", n.voiceFallbackMethod)
                .put("smsUrl", n.smsUrl).put("smsMethod", n.smsMethod).put("statusCallback", n.statusCallback)
                .put("statusCallbackMethod", n.statusCallbackMethod).put("trunkSid", n.trunkSid)
                .put("voiceApplicationSid", n.voiceApplicationSid).put("smsApplicationSid", n.smsApplicationSid);
    }

    private static SimNumber number(JsonObject json, String accountSid) {
        var n = new SimNumber(json.getString("sid"), Instant.parse(json.getString("created")), accountSid,
                json.getString("phoneNumber"));
        n.updated = Instant.parse(json.getString("updated"));
        n.friendlyName = json.getString("friendlyName");
        n.voiceUrl = json.getString("voiceUrl");
        n.voiceMethod = json.getString("voiceMethod");
        n.voiceFallbackUrl = json.getString("voiceFallbackUrl");
        n.voiceFallbackMethod = json.getString("voiceFallbackMethod");
        n.smsUrl = json.getString("smsUrl");
        n.smsMethod = json.getString("smsMethod");
        n.statusCallback = json.getString("statusCallback");
        n.statusCallbackMethod = json.getString("statusCallbackMethod");
        n.trunkSid = json.getString("trunkSid");
        n.voiceApplicationSid = json.getString("voiceApplicationSid");
        n.smsApplicationSid = json.getString("smsApplicationSid");
        return n;
    }

    private static JsonObject credentialList(SimCredentialList l) {
        var credentials = new JsonArray();
        l.credentials.values().forEach(c -> credentials.add(new JsonObject().put("sid", c.sid())
                .put("username", c.username()).put("password", c.password()).put("created", c.created().toString())));
        return new JsonObject().put("sid", l.sid).put("friendlyName", l.friendlyName)
                .put("created", l.created.toString()).put("credentials", credentials);
    }

    private static SimCredentialList credentialList(JsonObject json, String accountSid) {
        var l = new SimCredentialList(json.getString("sid"), Instant.parse(json.getString("created")), accountSid,
                json.getString("friendlyName"));
        objects(json, "credentials").forEach(c -> l.credentials.put(c.getString("sid"),
                new SimCredentialList.Credential(c.getString("sid"), c.getString("username"),
                        c.getString("password"), Instant.parse(c.getString("created")))));
        return l;
    }

    private static JsonObject trunk(SimTrunk t) {
        var lists = new JsonObject();
        t.credentialLists.forEach((sid, attached) -> lists.put(sid, attached.toString()));
        var origination = new JsonArray();
        t.originationUrls.values().forEach(o -> origination.add(new JsonObject().put("sid", o.sid())
                .put("friendlyName", o.friendlyName()).put("sipUrl", o.sipUrl()).put("weight", o.weight())
                .put("priority", o.priority()).put("enabled", o.enabled()).put("created", o.created().toString())));
        return new JsonObject().put("sid", t.sid).put("friendlyName", t.friendlyName)
                .put("domainName", t.domainName).put("created", t.created.toString()).put("credentialLists", lists)
                .put("originationUrls", origination);
    }

    private static SimTrunk trunk(JsonObject json, String accountSid) {
        var t = new SimTrunk(json.getString("sid"), Instant.parse(json.getString("created")), accountSid,
                json.getString("friendlyName"), json.getString("domainName"));
        json.getJsonObject("credentialLists", new JsonObject()).forEach(e -> t.credentialLists.put(e.getKey(),
                Instant.parse((String) e.getValue())));
        objects(json, "originationUrls").forEach(o -> t.originationUrls.put(o.getString("sid"),
                new SimTrunk.OriginationUrl(o.getString("sid"), o.getString("friendlyName"), o.getString("sipUrl"),
                        o.getInteger("weight"), o.getInteger("priority"), o.getBoolean("enabled"),
                        Instant.parse(o.getString("created")))));
        return t;
    }

    private static List<JsonObject> objects(JsonObject json, String field) {
        return json.getJsonArray(field, new JsonArray()).stream().map(JsonObject.class::cast).toList();
    }
}
