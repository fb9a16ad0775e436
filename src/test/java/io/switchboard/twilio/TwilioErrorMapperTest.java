package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.common.ApiError;
import io.switchboard.support.ErrorBody;
import io.switchboard.twilio.TwilioException.Kind;
import java.net.ConnectException;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioErrorMapperTest {

    private final TwilioErrorMapper mapper = new TwilioErrorMapper();

    @Test
    void refusedCredentialsAreA422() {
        var body = map(new TwilioException(Kind.PERMANENT, 401, 20003, "Authenticate (20003)", null));
        assertThat(body).isEqualTo(new ErrorBody(422, "twilio_auth_failed", "Twilio refused the credentials",
                List.of()));
    }

    @Test
    void aRefusedRequestIsA422WithTwiliosMessage() {
        var body = map(new TwilioException(Kind.PERMANENT, 400, 21211, "The 'To' number is not valid (21211)", null));
        assertThat(body).isEqualTo(new ErrorBody(422, "twilio_rejected",
                "Twilio refused the request: The 'To' number is not valid (21211)", List.of()));
    }

    @ParameterizedTest
    @CsvSource({ "429, 20429", "429,", "400, 20429" })
    void rateLimitingIsA503ByStatusOrByCode(int status, Integer code) {
        var body = map(new TwilioException(Kind.RETRYABLE, status, code, "Too Many Requests", null));
        assertThat(body).isEqualTo(new ErrorBody(503, "twilio_rate_limited",
                "Twilio is rate-limiting this account; try again", List.of()));
    }

    @ParameterizedTest
    @CsvSource({ "AMBIGUOUS, 0", "AMBIGUOUS, 500", "AMBIGUOUS, 503", "RETRYABLE, 0" })
    void noAnswerOrAServerErrorIsA502(Kind kind, int status) {
        var body = map(new TwilioException(kind, status, null, "no answer", null));
        assertThat(body).isEqualTo(new ErrorBody(502, "twilio_unavailable", "Twilio could not be reached or failed",
                List.of()));
    }

    @Test
    void whyTwilioCouldNotBeReachedStaysInTheLogs() {
        var cause = new ConnectException("Connection refused: api.twilio.internal/10.0.0.7:443");
        var body = map(new TwilioException(Kind.RETRYABLE, 0, null, "Twilio unreachable", cause));
        assertThat(body.message()).doesNotContain("10.0.0.7").doesNotContain("Connection refused");
    }

    @Test
    void anOpenBreakerAndATimeoutAreA503() {
        var open = ErrorBody.of(mapper.breakerOpen(new CircuitBreakerOpenException("TwilioClient#createCall")));
        assertThat(open).isEqualTo(new ErrorBody(503, "twilio_unavailable",
                "Twilio is failing; calls to it are paused, try again soon", List.of()));
        var late = ErrorBody.of(mapper.timeout(new TimeoutException("TwilioClient#createCall timed out")));
        assertThat(late).isEqualTo(new ErrorBody(503, "twilio_unavailable", "Twilio did not answer in time",
                List.of()));
    }

    @Test
    void aWrappingFailureKeepsItsOwnDetails() {
        var details = List.of(new ApiError.FieldError("provisioning.trunk", "failed"));
        var refused = new TwilioException(Kind.PERMANENT, 400, 21999, "bad request", null);
        assertThat(TwilioErrorMapper.error(refused, details).details()).isEqualTo(details);
        assertThat(TwilioErrorMapper.status(refused)).isEqualTo(422);
    }

    private ErrorBody map(TwilioException e) {
        return ErrorBody.of(mapper.twilio(e));
    }
}
