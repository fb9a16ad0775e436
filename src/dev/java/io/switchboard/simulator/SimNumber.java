package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An IncomingPhoneNumber. An empty string in an update clears a field, as in Twilio: URLs then read as "", and
 * application SIDs as null, which the spec's SID pattern allows where Twilio itself writes "".
 */
final class SimNumber {

    final String sid;
    final String accountSid;
    final String phoneNumber;
    final Instant created;
    Instant updated;
    String friendlyName;
    String voiceUrl = "";
    String voiceMethod = "POST";
    String voiceFallbackUrl = "";
    String voiceFallbackMethod = "POST";
    String smsUrl = "";
    String smsMethod = "POST";
    String statusCallback = "";
    String statusCallbackMethod = "POST";
    String trunkSid;
    String voiceApplicationSid;
    String smsApplicationSid;

    SimNumber(String accountSid, String phoneNumber) {
        this(Sids.next("PN"), Instant.now(), accountSid, phoneNumber);
    }

    /** A number as it was saved ({@link SimulatorState}). */
    SimNumber(String sid, Instant created, String accountSid, String phoneNumber) {
        this.sid = sid;
        this.created = created;
        this.updated = created;
        this.accountSid = accountSid;
        this.phoneNumber = phoneNumber;
        this.friendlyName = NumberingPlan.nationalFormat(phoneNumber);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("account_sid", accountSid)
                .put("address_requirements", "none")
                .put("address_sid", null)
                .put("api_version", "2010-04-01")
                .put("beta", false)
                .put("capabilities", new JsonObject().put("voice", true).put("sms", true).put("mms", true)
                        .put("fax", false))
                .put("date_created", Sids.rfc2822(created))
                .put("date_updated", Sids.rfc2822(updated))
                .put("emergency_status", "Inactive")
                .put("emergency_address_sid", null)
                .put("emergency_address_status", "unregistered")
                .put("friendly_name", friendlyName)
                .put("identity_sid", null)
                .put("origin", "twilio")
                .put("phone_number", phoneNumber)
                .put("sid", sid)
                .put("sms_application_sid", smsApplicationSid)
                .put("sms_fallback_method", "POST")
                .put("sms_fallback_url", "")
                .put("sms_method", smsMethod)
                .put("sms_url", smsUrl)
                .put("status_callback", statusCallback)
                .put("status_callback_method", statusCallbackMethod)
                .put("trunk_sid", trunkSid)
                .put("uri", "/2010-04-01/Accounts/" + accountSid + "/IncomingPhoneNumbers/" + sid + ".json")
                .put("voice_application_sid", voiceApplicationSid)
                .put("voice_caller_id_lookup", false)
                .put("voice_fallback_method", voiceFallbackMethod)
                .put("voice_fallback_url", voiceFallbackUrl)
                .put("voice_method", voiceMethod)
                .put("voice_url", voiceUrl)
                .put("voice_receive_mode", "voice")
                .put("bundle_sid", null)
                .put("status", "in-use")
                .put("type", "local");
    }
}
