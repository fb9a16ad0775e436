package io.switchboard.twilio;

import java.util.List;

/**
 * An outbound call to place. Optional fields are null (not sent); event lists are sent as repeated keys. Start with
 * {@link #of(String, String, String)} and add with the {@code with...} methods.
 */
public record CallRequest(String to, String from, String url, String method, String statusCallback,
        String statusCallbackMethod, List<String> statusCallbackEvents, Boolean record, String recordingStatusCallback,
        List<String> recordingStatusCallbackEvents, Integer timeoutSeconds, String machineDetection,
        String asyncAmdStatusCallback) {

    public CallRequest {
        if (to == null || from == null || url == null) {
            throw new IllegalArgumentException("a call needs To, From and a TwiML URL");
        }
        statusCallbackEvents = statusCallbackEvents == null ? List.of() : List.copyOf(statusCallbackEvents);
        recordingStatusCallbackEvents = recordingStatusCallbackEvents == null
                ? List.of()
                : List.copyOf(recordingStatusCallbackEvents);
    }

    public static CallRequest of(String to, String from, String url) {
        return new CallRequest(to, from, url, null, null, null, null, null, null, null, null, null, null);
    }

    public CallRequest withMethod(String method) {
        return new CallRequest(to, from, url, method, statusCallback, statusCallbackMethod, statusCallbackEvents,
                record, recordingStatusCallback, recordingStatusCallbackEvents, timeoutSeconds, machineDetection,
                asyncAmdStatusCallback);
    }

    /** Events: initiated, ringing, answered, completed (Twilio sends only completed unless asked). */
    public CallRequest withStatusCallback(String url, String method, List<String> events) {
        return new CallRequest(to, from, this.url, this.method, url, method, events, record, recordingStatusCallback,
                recordingStatusCallbackEvents, timeoutSeconds, machineDetection,
                asyncAmdStatusCallback);
    }

    /** Records the call; events: in-progress, completed, absent. */
    public CallRequest withRecording(String callbackUrl, List<String> events) {
        return new CallRequest(to, from, url, method, statusCallback, statusCallbackMethod, statusCallbackEvents, true,
                callbackUrl, events, timeoutSeconds, machineDetection, asyncAmdStatusCallback);
    }

    /** How long Twilio lets the phone ring before giving up (seconds). */
    public CallRequest withTimeout(int seconds) {
        return new CallRequest(to, from, url, method, statusCallback, statusCallbackMethod, statusCallbackEvents,
                record, recordingStatusCallback, recordingStatusCallbackEvents, seconds, machineDetection,
                asyncAmdStatusCallback);
    }

    /**
     * Asynchronous answering machine detection: {@code mode} {@code Enable} (an answer as soon as the called party is
     * identified) or {@code DetectMessageEnd} (on a machine, once its greeting ends), the result posted to
     * {@code callbackUrl} while the call runs. https://www.twilio.com/docs/voice/answering-machine-detection
     */
    public CallRequest withAsyncMachineDetection(String mode, String callbackUrl) {
        return new CallRequest(to, from, url, method, statusCallback, statusCallbackMethod, statusCallbackEvents,
                record, recordingStatusCallback, recordingStatusCallbackEvents, timeoutSeconds, mode, callbackUrl);
    }
}
