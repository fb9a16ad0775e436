package io.switchboard.event;

import java.util.List;

/** The body of {@code POST /v1/event-subscriptions}. */
public record SubscriptionRequest(String url, List<String> events, String description) {
}
