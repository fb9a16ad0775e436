package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.twilio.TwilioException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterBackoffTest {

    private static final TwilioException RATE_LIMITED = new TwilioException(Kind.RETRYABLE, 429, 20429, "slow down",
            null);

    @Test
    void doublesFromTheRetryDelayUpToSixteenTimesIt() {
        var backoff = new RetryAfterBackoff();
        backoff.init(100);

        assertThat(new long[] {
            backoff.nextDelayInMillis(RATE_LIMITED), backoff.nextDelayInMillis(RATE_LIMITED),
            backoff.nextDelayInMillis(RATE_LIMITED), backoff.nextDelayInMillis(RATE_LIMITED),
            backoff.nextDelayInMillis(RATE_LIMITED), backoff.nextDelayInMillis(RATE_LIMITED) })
                .containsExactly(100, 200, 400, 800, 1600, 1600);
    }

    @Test
    void aLongerRetryAfterWinsUpToTheCap() {
        var backoff = new RetryAfterBackoff();
        backoff.init(250);

        assertThat(backoff.nextDelayInMillis(withRetryAfter(Duration.ofSeconds(2)))).isEqualTo(2000);
        assertThat(backoff.nextDelayInMillis(withRetryAfter(Duration.ofMillis(10)))).isEqualTo(500);
        assertThat(backoff.nextDelayInMillis(withRetryAfter(Duration.ofMinutes(5)))).isEqualTo(4000);
    }

    @Test
    void retryAfterIsParsedAsSecondsOrAnHttpDate() {
        assertThat(TwilioHttp.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(TwilioHttp.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(TwilioHttp.parseRetryAfter("soon")).isEmpty();
        assertThat(TwilioHttp.parseRetryAfter(null)).isEmpty();
    }

    private static TwilioException withRetryAfter(Duration wait) {
        return new TwilioException(Kind.RETRYABLE, 429, 20429, "slow down", null, wait);
    }
}
