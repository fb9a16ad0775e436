package io.switchboard.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A SIP trunk (Trunking v1) with its attached credential lists and origination URLs. */
final class SimTrunk {

    final String sid;
    final String accountSid;
    final String friendlyName;
    final String domainName;
    final Instant created;
    /** Attached credential list SID to the time it was attached. */
    final Map<String, Instant> credentialLists = new LinkedHashMap<>();
    final Map<String, OriginationUrl> originationUrls = new LinkedHashMap<>();

    record OriginationUrl(String sid, String friendlyName, String sipUrl, int weight, int priority, boolean enabled,
            Instant created) {
    }

    SimTrunk(String accountSid, String friendlyName, String domainName) {
        this(Sids.next("TK"), Instant.now(), accountSid, friendlyName, domainName);
    }

    /** A trunk as it was saved ({@link SimulatorState}). */
    SimTrunk(String sid, Instant created, String accountSid, String friendlyName, String domainName) {
        this.sid = sid;
        this.created = created;
        this.accountSid = accountSid;
        this.friendlyName = friendlyName;
        this.domainName = domainName;
    }

    JsonObject toJson(String base) {
        String url = base + "/v1/Trunks/" + sid;
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("domain_name", domainName)
                .put("disaster_recovery_method", "POST")
                .put("disaster_recovery_url", null)
                .put("friendly_name", friendlyName)
                .put("secure", false)
                .put("recording", new JsonObject().put("mode", "do-not-record").put("trim", "do-not-trim"))
                .put("transfer_mode", "disable-all")
                .put("transfer_caller_id", "from-transferee")
                .put("cnam_lookup_enabled", false)
                .put("auth_type", credentialLists.isEmpty() ? "" : "CREDENTIAL_LIST")
                .put("symmetric_rtp_enabled", false)
                .put("auth_type_set", credentialLists.isEmpty() ? new JsonArray()
                        : new JsonArray().add("CREDENTIAL_LIST"))
                .put("date_created", Sids.iso(created))
                .put("date_updated", Sids.iso(created))
                .put("sid", sid)
                .put("url", url)
                .put("links", new JsonObject()
                        .put("origination_urls", url + "/OriginationUrls")
                        .put("credential_lists", url + "/CredentialLists")
                        .put("ip_access_control_lists", url + "/IpAccessControlLists")
                        .put("phone_numbers", url + "/PhoneNumbers")
                        .put("recording", url + "/Recording"));
    }

    JsonObject credentialListJson(String base, SimCredentialList list, Instant attached) {
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("sid", list.sid)
                .put("trunk_sid", sid)
                .put("friendly_name", list.friendlyName)
                .put("date_created", Sids.iso(attached))
                .put("date_updated", Sids.iso(attached))
                .put("url", base + "/v1/Trunks/" + sid + "/CredentialLists/" + list.sid);
    }

    JsonObject originationUrlJson(String base, OriginationUrl origination) {
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("sid", origination.sid())
                .put("trunk_sid", sid)
                .put("weight", origination.weight())
                .put("enabled", origination.enabled())
                .put("sip_url", origination.sipUrl())
                .put("friendly_name", origination.friendlyName())
                .put("priority", origination.priority())
                .put("date_created", Sids.iso(origination.created()))
                .put("date_updated", Sids.iso(origination.created()))
                .put("url", base + "/v1/Trunks/" + sid + "/OriginationUrls/" + origination.sid());
    }
}
