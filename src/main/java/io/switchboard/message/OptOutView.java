package io.switchboard.message;

import java.time.Instant;

/** A number that replied STOP to one of the organization's numbers. */
public record OptOutView(String number, Instant createdAt) {
}
