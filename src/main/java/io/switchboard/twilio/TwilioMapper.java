package io.switchboard.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;

/** Twilio's JSON resources to our records. Twilio sends some numbers as strings ("duration": "42"): accept both. */
final class TwilioMapper {

    private TwilioMapper() {
    }

    static Account account(JsonNode n) {
        return new Account(text(n, "sid"), text(n, "friendly_name"), text(n, "status"), text(n, "type"));
    }

    static IncomingNumber incomingNumber(JsonNode n) {
        var capabilities = n.path("capabilities");
        return new IncomingNumber(text(n, "sid"), text(n, "phone_number"), text(n, "friendly_name"),
                new IncomingNumber.Capabilities(capabilities.path("voice").asBoolean(false),
                        capabilities.path("sms").asBoolean(false)),
                numberConfiguration(n));
    }

    /** URL and SID fields absent at Twilio become {@link NumberConfiguration#CLEAR}, so the snapshot restores them. */
    static NumberConfiguration numberConfiguration(JsonNode n) {
        return new NumberConfiguration(clearable(n, "voice_url"), text(n, "voice_method"),
                clearable(n, "voice_fallback_url"), clearable(n, "sms_url"), text(n, "sms_method"),
                clearable(n, "status_callback"), text(n, "status_callback_method"), clearable(n, "trunk_sid"),
                clearable(n, "voice_application_sid"), clearable(n, "sms_application_sid"));
    }

    static Trunk trunk(JsonNode n) {
        return new Trunk(text(n, "sid"), text(n, "friendly_name"), text(n, "domain_name"));
    }

    static CredentialList credentialList(JsonNode n) {
        return new CredentialList(text(n, "sid"), text(n, "friendly_name"));
    }

    static Credential credential(JsonNode n) {
        return new Credential(text(n, "sid"), text(n, "credential_list_sid"), text(n, "username"));
    }

    static OriginationUrl originationUrl(JsonNode n) {
        return new OriginationUrl(text(n, "sid"), text(n, "trunk_sid"), text(n, "friendly_name"), text(n, "sip_url"),
                n.path("priority").asInt(), n.path("weight").asInt(), n.path("enabled").asBoolean());
    }

    static TwilioCall call(JsonNode n) {
        return new TwilioCall(text(n, "sid"), text(n, "to"), text(n, "from"), text(n, "status"),
                text(n, "direction"), text(n, "parent_call_sid"), integer(n, "duration"),
                TwilioDates.parse(text(n, "date_created")), TwilioDates.parse(text(n, "start_time")),
                TwilioDates.parse(text(n, "end_time")));
    }

    static TwilioParticipant participant(JsonNode n) {
        return new TwilioParticipant(text(n, "call_sid"), text(n, "conference_sid"), text(n, "status"));
    }

    static TwilioRecording recording(JsonNode n) {
        return new TwilioRecording(text(n, "sid"), text(n, "call_sid"), text(n, "status"));
    }

    static TwilioMessage message(JsonNode n) {
        return new TwilioMessage(text(n, "sid"), text(n, "to"), text(n, "from"), text(n, "messaging_service_sid"),
                text(n, "status"), integer(n, "num_segments"), integer(n, "error_code"), text(n, "error_message"));
    }

    static LookupResult lookup(JsonNode n) {
        var errors = new ArrayList<String>();
        n.path("validation_errors").forEach(e -> errors.add(e.asText()));
        return new LookupResult(text(n, "phone_number"), n.path("valid").asBoolean(false), text(n, "country_code"),
                text(n, "calling_country_code"), text(n, "national_format"), errors);
    }

    private static String text(JsonNode n, String field) {
        var value = n.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static String clearable(JsonNode n, String field) {
        var value = text(n, field);
        return value == null ? NumberConfiguration.CLEAR : value;
    }

    private static Integer integer(JsonNode n, String field) {
        var value = n.path(field);
        if (value.isNumber()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            try {
                return Integer.valueOf(value.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
