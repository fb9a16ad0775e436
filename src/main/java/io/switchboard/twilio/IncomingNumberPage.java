package io.switchboard.twilio;

import java.util.List;

/** One page of an account's numbers, and where the next one is ({@code next}, null after the last). */
public record IncomingNumberPage(List<IncomingNumber> numbers, String next) {
}
