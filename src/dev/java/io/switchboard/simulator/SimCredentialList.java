package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A SIP credential list (2010 API) with its credentials; passwords are kept only to be checked, never shown. */
final class SimCredentialList {

    final String sid;
    final String accountSid;
    final String friendlyName;
    final Instant created;
    final Map<String, Credential> credentials = new LinkedHashMap<>();

    record Credential(String sid, String username, String password, Instant created) {
    }

    SimCredentialList(String accountSid, String friendlyName) {
        this(Sids.next("CL"), Instant.now(), accountSid, friendlyName);
    }

    /** A list as it was saved ({@link SimulatorState}). */
    SimCredentialList(String sid, Instant created, String accountSid, String friendlyName) {
        this.sid = sid;
        this.created = created;
        this.accountSid = accountSid;
        this.friendlyName = friendlyName;
    }

    String uri() {
        return "/2010-04-01/Accounts/" + accountSid + "/SIP/CredentialLists/" + sid;
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("date_created", Sids.rfc2822(created))
                .put("date_updated", Sids.rfc2822(created))
                .put("friendly_name", friendlyName)
                .put("sid", sid)
                .put("subresource_uris", new JsonObject().put("credentials", uri() + "/Credentials.json"))
                .put("uri", uri() + ".json");
    }

    JsonObject credentialJson(Credential credential) {
        return new JsonObject()
                .put("sid", credential.sid())
                .put("account_sid", accountSid)
                .put("credential_list_sid", sid)
                .put("username", credential.username())
                .put("date_created", Sids.rfc2822(credential.created()))
                .put("date_updated", Sids.rfc2822(credential.created()))
                .put("uri", uri() + "/Credentials/" + credential.sid() + ".json");
    }
}
