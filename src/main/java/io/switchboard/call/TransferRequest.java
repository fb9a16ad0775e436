package io.switchboard.call;

import io.switchboard.common.ApiException;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.twilio.Twiml;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v1/calls/{id}/transfer}: {@code to} a number or SIP URI (default: the agent's transfer number),
 * {@code mode} cold or warm, {@code announcement} said to the target before it is connected, {@code callerId} whose
 * number the target sees ({@code caller}, the default, or the call's Switchboard {@code number}; a warm transfer's
 * target always sees the Switchboard number, since the {@code From} of a leg Twilio places over REST "must be a Twilio
 * number or a Verified outgoing caller id"), and what happens when the target does not answer ({@code onFailure}:
 * back to the {@code agent}, the default, or {@code hangup}).
 */
public record TransferRequest(
        @Schema(description = "An E.164 number or a sip: URI; default: the agent's transfer number",
                example = "+14155551234") String to,
        @Schema(description = "cold: the caller's leg dials the target; warm: the caller waits on hold in a conference"
                + " while the target is dialed and briefed, then the two are joined",
                enumeration = {
                    "cold",
                    "warm" },
                defaultValue = "cold") String mode,
        @Schema(description = "Said to the target before it is connected") String announcement,
        @Schema(enumeration = { "caller", "number" }, defaultValue = "caller") String callerId,
        @Schema(enumeration = { "agent", "hangup" }, defaultValue = "agent") String onFailure) {

    public static final String COLD = "cold";
    public static final String WARM = "warm";
    static final int MAX_ANNOUNCEMENT = 1000;
    private static final Pattern SIP_URI = Pattern.compile(
            "sips?:(?:[^@\\s<>\"]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\\d{1,5})?(?:;[^\\s?<>\"]*)?");

    /** The request as the transfer runs it, {@code to} resolved. */
    record Valid(String to, String mode, String announcement, boolean callerIdOfCaller, boolean backToAgent) {

        boolean isWarm() {
            return WARM.equals(mode);
        }
    }

    /** This request checked, with {@code defaultTo} (the agent's transfer number, or null) when it names no target. */
    Valid validate(String defaultTo) {
        if (mode == null || !(COLD.equals(mode) || WARM.equals(mode))) {
            throw ApiException.badRequest("mode", "must be cold or warm");
        }
        if (callerId != null && !"caller".equals(callerId) && !"number".equals(callerId)) {
            throw ApiException.badRequest("callerId", "must be caller or number");
        }
        if (onFailure != null && !"agent".equals(onFailure) && !"hangup".equals(onFailure)) {
            throw ApiException.badRequest("onFailure", "must be agent or hangup");
        }
        if (announcement != null && (announcement.isBlank() || announcement.length() > MAX_ANNOUNCEMENT
                || !Twiml.isAllowedInXml(announcement))) {
            throw ApiException.badRequest("announcement",
                    "must be 1 to " + MAX_ANNOUNCEMENT + " characters XML allows");
        }
        String target = to != null ? to : defaultTo;
        if (target == null) {
            throw ApiException.badRequest("to", "is required: the call's agent has no transferNumber");
        }
        if (!PhoneNumbers.isE164(target) && !SIP_URI.matcher(target).matches()) {
            throw ApiException.badRequest("to", "must be an E.164 number or a sip: URI");
        }
        return new Valid(target, mode, announcement, !"number".equals(callerId), !"hangup".equals(onFailure));
    }

    static boolean isSip(String target) {
        return target.startsWith("sip:") || target.startsWith("sips:");
    }
}
