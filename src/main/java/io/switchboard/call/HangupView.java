package io.switchboard.call;

import java.util.UUID;

/** The answer to a hang-up: the status Twilio gave the call (completed, canceled, or how it had already ended). */
public record HangupView(UUID id, String sid, String status) {
}
