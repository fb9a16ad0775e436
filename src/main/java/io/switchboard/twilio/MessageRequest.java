package io.switchboard.twilio;

/** A text message to send, from a number or through a messaging service (exactly one of the two). */
public record MessageRequest(String to, String from, String messagingServiceSid, String body, String statusCallback) {

    public MessageRequest {
        if (to == null || body == null) {
            throw new IllegalArgumentException("a message needs To and Body");
        }
        if ((from == null) == (messagingServiceSid == null)) {
            throw new IllegalArgumentException("a message needs either From or MessagingServiceSid");
        }
    }

    public static MessageRequest from(String to, String from, String body) {
        return new MessageRequest(to, from, null, body, null);
    }

    public static MessageRequest viaService(String to, String messagingServiceSid, String body) {
        return new MessageRequest(to, null, messagingServiceSid, body, null);
    }

    public MessageRequest withStatusCallback(String url) {
        return new MessageRequest(to, from, messagingServiceSid, body, url);
    }
}
