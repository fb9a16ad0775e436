package io.switchboard.call;

import java.util.UUID;

/** The answer to a recording control: the recording Twilio changed and its status now (paused, in-progress, stopped). */
public record RecordingView(UUID id, String sid, String recordingSid, String status) {
}
