package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** {@code /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers}: the numbers an account owns, and their webhooks. */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class IncomingPhoneNumbers implements TwilioResource {

    private static final String NUMBERS = ACCOUNT + "/IncomingPhoneNumbers";

    private final Accounts accounts;

    IncomingPhoneNumbers(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.GET, "api", NUMBERS + ".json", x -> {
            synchronized (accounts) {
                return Reply.ok(Pages.page2010("incoming_phone_numbers",
                        numbers(x.account(), x.query().get("PhoneNumber")), SimNumber::toJson,
                        x.account().uri("/IncomingPhoneNumbers.json"), x.query(), List.of("PhoneNumber")));
            }
        });
        routes.on(HttpMethod.GET, "api", NUMBERS + "/{Sid}.json",
                x -> Reply.ok(fetch(x.account(), x.path("Sid"), x.requestPath())));
        routes.on(HttpMethod.POST, "api", NUMBERS + "/{Sid}.json",
                x -> Reply.ok(update(x.account(), x.path("Sid"), x.form(), x.requestPath())));
    }

    /** The account's numbers, or the one with this E.164 form; only while holding the monitor of accounts. */
    private static List<SimNumber> numbers(SimAccount account, String phoneNumber) {
        if (phoneNumber == null) {
            return List.copyOf(account.numbers.values());
        }
        var number = account.numberByPhone(phoneNumber);
        return number == null ? List.of() : List.of(number);
    }

    JsonObject fetch(SimAccount account, String sid, String path) {
        synchronized (accounts) {
            return require(account, sid, path).toJson();
        }
    }

    JsonObject update(SimAccount account, String sid, Params form, String path) {
        synchronized (accounts) {
            var number = require(account, sid, path);
            if (form.has("VoiceUrl")) {
                number.voiceUrl = form.get("VoiceUrl");
            }
            if (form.has("VoiceMethod")) {
                number.voiceMethod = form.method("VoiceMethod");
            }
            if (form.has("VoiceFallbackUrl")) {
                number.voiceFallbackUrl = form.get("VoiceFallbackUrl");
            }
            if (form.has("VoiceFallbackMethod")) {
                number.voiceFallbackMethod = form.method("VoiceFallbackMethod");
            }
            if (form.has("SmsUrl")) {
                number.smsUrl = form.get("SmsUrl");
            }
            if (form.has("SmsMethod")) {
                number.smsMethod = form.method("SmsMethod");
            }
            if (form.has("StatusCallback")) {
                number.statusCallback = form.get("StatusCallback");
            }
            if (form.has("StatusCallbackMethod")) {
                number.statusCallbackMethod = form.method("StatusCallbackMethod");
            }
            if (form.has("FriendlyName")) {
                number.friendlyName = form.get("FriendlyName");
            }
            if (form.has("TrunkSid")) {
                String trunkSid = form.get("TrunkSid");
                if (!trunkSid.isEmpty() && !account.trunks.containsKey(trunkSid)) {
                    throw new SimError(400, 21245, "Invalid TrunkSid " + trunkSid);
                }
                number.trunkSid = trunkSid.isEmpty() ? null : trunkSid;
            }
            if (form.has("VoiceApplicationSid")) {
                number.voiceApplicationSid = sidOrNull("AP", form.get("VoiceApplicationSid"));
            }
            if (form.has("SmsApplicationSid")) {
                number.smsApplicationSid = sidOrNull("AP", form.get("SmsApplicationSid"));
            }
            number.updated = Instant.now();
            return number.toJson();
        }
    }

    private static SimNumber require(SimAccount account, String sid, String path) {
        var number = account.numbers.get(sid);
        if (number == null) {
            throw SimError.notFound(path);
        }
        return number;
    }

    private static String sidOrNull(String prefix, String value) {
        if (!value.isEmpty() && !Sids.isSid(prefix, value)) {
            throw new SimError(400, 21245, "Invalid " + prefix + " SID " + value);
        }
        return value.isEmpty() ? null : value;
    }
}
