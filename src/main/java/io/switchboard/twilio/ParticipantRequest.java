package io.switchboard.twilio;

import java.util.List;

/**
 * A participant to dial into a conference: its {@code To} and the {@code From} it sees, how long it may ring, its
 * call's status callback with the events it asks for (initiated, ringing, answered, completed), whether its joining
 * starts the conference and its leaving ends it, and the conference's own status callback (start, end, join, leave,
 * hold, announcement), which only the first participant to join sets.
 */
public record ParticipantRequest(String from, String to, String label, Integer timeoutSeconds, String statusCallback,
        List<String> statusCallbackEvents, Boolean startConferenceOnEnter, Boolean endConferenceOnExit,
        String conferenceStatusCallback, List<String> conferenceStatusCallbackEvents) {

    public ParticipantRequest {
        if (from == null || to == null) {
            throw new IllegalArgumentException("a participant needs From and To");
        }
        statusCallbackEvents = statusCallbackEvents == null ? List.of() : List.copyOf(statusCallbackEvents);
        conferenceStatusCallbackEvents = conferenceStatusCallbackEvents == null ? List.of()
                : List.copyOf(conferenceStatusCallbackEvents);
    }
}
