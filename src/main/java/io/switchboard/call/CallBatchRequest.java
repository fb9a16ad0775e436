package io.switchboard.call;

import io.switchboard.agent.AgentRequest;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;
import io.switchboard.db.JsonColumns;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The body of {@code POST /v1/calls}: one agent calls each target, from {@code from} or the agent's number. The
 * targets come as plain numbers ({@code targetNumbers}) or with their own stream parameters ({@code targets}); the
 * batch's {@code parameters} go to every call, a target's own win over them. With a {@code callingWindow}, each call
 * waits for it in its target's local time. With a {@code retry}, a target whose call ends with one of its outcomes is
 * called again. {@code machineDetection} ({@code off}, {@code hangup}, {@code message}) asks Twilio to tell a person
 * from an answering machine; on a machine the call is ended, or left the {@code voicemail} after the beep.
 */
public record CallBatchRequest(String agentId, List<String> targetNumbers, List<Target> targets, String from,
        Map<String, String> parameters, CallingWindow callingWindow, CallRetry retry, String machineDetection,
        Voicemail voicemail) {

    static final int MAX_TARGETS = 10_000;
    /** A 400 naming ten thousand bad numbers helps no one: the first ones are enough to see the mistake. */
    private static final int MAX_REPORTED = 100;
    private static final String E164 = "must be an E.164 number such as +14155551234";

    /** {@code from} that picks each target's caller ID among the agent's numbers ({@link CallerIds}). */
    static final String AUTO_FROM = "auto";
    static final List<String> MACHINE_DETECTION = List.of("off", "hangup", "message");
    static final int MAX_VOICEMAIL_TEXT = 1000;

    /**
     * What a {@code message} batch leaves on an answering machine: text to speak ({@code say}) or an audio file to play
     * ({@code play}, an https URL); without one, the agent's own TwiML runs again, told {@code answeredBy}.
     */
    public record Voicemail(String say, String play) {
    }

    /** One target with its own stream parameters. */
    public record Target(String to, Map<String, String> parameters) {
    }

    /** The targets to call, each once, in the order first given, and how many repeats were left out. */
    record Targets(String[] numbers, String[] parameters, int duplicatesSkipped) {
    }

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    public UUID validate() {
        var v = new Validation();
        UUID agent = null;
        if (agentId == null || agentId.isBlank()) {
            v.error("agentId", "is required");
        } else {
            try {
                agent = UUID.fromString(agentId);
            } catch (IllegalArgumentException e) {
                v.error("agentId", "is not an agent id");
            }
        }
        if (targetNumbers != null && targets != null) {
            v.error("targets", "give targetNumbers or targets, not both");
        } else if (targets != null) {
            validateTargets(v);
        } else if (targetNumbers == null || targetNumbers.isEmpty() || targetNumbers.size() > MAX_TARGETS) {
            v.error("targetNumbers", "must hold 1 to " + MAX_TARGETS + " numbers");
        } else {
            int reported = 0;
            for (int i = 0; i < targetNumbers.size() && reported < MAX_REPORTED; i++) {
                if (!PhoneNumbers.isE164(targetNumbers.get(i))) {
                    v.error("targetNumbers[" + i + "]", E164);
                    reported++;
                }
            }
        }
        v.require(from == null || AUTO_FROM.equals(from) || PhoneNumbers.isE164(from), "from",
                E164 + ", or \"auto\"");
        AgentRequest.validateStreamParameters(v, "parameters", parameters);
        if (callingWindow != null) {
            callingWindow.validate(v);
        }
        if (retry != null) {
            retry.validate(v);
        }
        validateMachineDetection(v);
        v.throwIfInvalid();
        return agent;
    }

    private void validateMachineDetection(Validation v) {
        v.require(machineDetection == null || MACHINE_DETECTION.contains(machineDetection), "machineDetection",
                "must be one of " + String.join(", ", MACHINE_DETECTION));
        if (voicemail == null) {
            return;
        }
        if (!"message".equals(machineDetection)) {
            v.error("voicemail", "is only for machineDetection message");
        } else if ((voicemail.say() == null) == (voicemail.play() == null)) {
            v.error("voicemail", "give say or play, not both");
        } else if (voicemail.say() != null) {
            v.require(!voicemail.say().isBlank() && voicemail.say().length() <= MAX_VOICEMAIL_TEXT, "voicemail.say",
                    "must be 1 to " + MAX_VOICEMAIL_TEXT + " characters");
        } else {
            v.require(isHttpsUrl(voicemail.play()), "voicemail.play", "must be an https URL of an audio file");
        }
    }

    private static boolean isHttpsUrl(String url) {
        try {
            var uri = URI.create(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && url.length() <= 2000;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** As stored: null for off. */
    String storedMachineDetection() {
        return machineDetection == null || "off".equals(machineDetection) ? null : machineDetection;
    }

    private void validateTargets(Validation v) {
        if (targets.isEmpty() || targets.size() > MAX_TARGETS) {
            v.error("targets", "must hold 1 to " + MAX_TARGETS + " targets");
            return;
        }
        int reported = 0;
        for (int i = 0; i < targets.size() && reported < MAX_REPORTED; i++) {
            Target target = targets.get(i);
            String field = "targets[" + i + "]";
            int before = v.errorCount();
            if (target == null) {
                v.error(field, "must be an object {to, parameters?}");
            } else {
                v.require(PhoneNumbers.isE164(target.to()), field + ".to", E164);
                AgentRequest.validateStreamParameters(v, field + ".parameters", target.parameters());
            }
            if (v.errorCount() > before) {
                reported++;
            }
        }
    }

    /**
     * Each target once: a number given again is left out (the first one is called, with its parameters), so nobody
     * is called twice by one batch. Parameters are the batch's with the target's over them, as JSON, or null.
     */
    Targets distinctTargets(JsonColumns json) {
        var seen = new LinkedHashMap<String, Map<String, String>>();
        int given = 0;
        if (targets != null) {
            for (Target target : targets) {
                given++;
                seen.putIfAbsent(target.to(), target.parameters() == null ? Map.of() : target.parameters());
            }
        } else {
            for (String number : targetNumbers) {
                given++;
                seen.putIfAbsent(number, Map.of());
            }
        }
        var numbers = new ArrayList<String>(seen.size());
        var merged = new ArrayList<String>(seen.size());
        Map<String, String> batch = parameters == null ? Map.of() : parameters;
        seen.forEach((number, own) -> {
            numbers.add(number);
            if (batch.isEmpty() && own.isEmpty()) {
                merged.add(null);
            } else {
                var all = new TreeMap<>(batch);
                all.putAll(own);
                merged.add(json.write(all));
            }
        });
        return new Targets(numbers.toArray(String[]::new), merged.toArray(String[]::new), given - seen.size());
    }
}
