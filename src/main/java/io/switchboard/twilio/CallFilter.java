package io.switchboard.twilio;

/** Which calls {@link TwilioClient#listCalls} returns; null fields do not filter. At most {@code limit} calls. */
public record CallFilter(String to, String from, String status, String parentCallSid, int limit) {

    public CallFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static CallFilter children(String parentCallSid, int limit) {
        return new CallFilter(null, null, null, parentCallSid, limit);
    }
}
