package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboundDispatcherTest {

    @Test
    void theTickKeepsUpWithTheFastestPace() {
        assertThat(OutboundDispatcher.period(config(1, 1, 250))).isEqualTo(250);
        assertThat(OutboundDispatcher.period(config(10, 1, 250))).isEqualTo(100);
        assertThat(OutboundDispatcher.period(config(1, 30, 250))).isEqualTo(33);
        assertThat(OutboundDispatcher.period(config(5_000, 1, 250))).isEqualTo(10);
        assertThat(OutboundDispatcher.period(config(1, 1, 50))).isEqualTo(50);
    }

    @Test
    void aPaceOfZeroOrLessIsRefusedAtStartNamingTheKey() {
        assertThatCode(() -> OutboundDispatcher.check(config(1, 1, 250))).doesNotThrowAnyException();
        assertThatCode(() -> OutboundDispatcher.check(config(0.5, 30, 250))).doesNotThrowAnyException();
        for (double pace : new double[] { 0, -1, Double.NaN }) {
            assertThatThrownBy(() -> OutboundDispatcher.check(config(pace, 1, 250)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("switchboard.outbound.calls-per-second");
            assertThatThrownBy(() -> OutboundDispatcher.check(config(1, pace, 250)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("switchboard.outbound.segments-per-second");
        }
        // Slots claimed 1 s ahead are lost between ticks 600 ms apart.
        assertThatThrownBy(() -> OutboundDispatcher.check(config(1, 1, 600)))
                .hasMessageContaining("switchboard.outbound.claim-ahead");
    }

    @Test
    void aTickClaimsNothingOnceTheShutdownBegan() {
        var claims = new AtomicInteger();
        var dispatch = new Dispatch(null, null, null, config(1, 1, 250), null, null) {
            @Override
            Uni<Integer> sendDue(DispatchKind kind) {
                claims.incrementAndGet();
                return Uni.createFrom().item(0);
            }

            @Override
            Uni<Integer> recheckDue(DispatchKind kind) {
                claims.incrementAndGet();
                return Uni.createFrom().item(0);
            }
        };
        var kind = (DispatchKind) Proxy.newProxyInstance(DispatchKind.class.getClassLoader(),
                new Class<?>[] { DispatchKind.class }, (proxy, method, args) -> null);
        var dispatcher = new OutboundDispatcher(dispatch, List.of(kind), config(1, 1, 250), null, null);

        dispatcher.tick();
        assertThat(claims).as("a send and a recheck claim").hasValue(2);

        assertThat(dispatcher.stopClaiming(Duration.ofSeconds(1))).as("nothing runs").isZero();
        dispatcher.tick();
        dispatcher.tick();
        assertThat(claims).hasValue(2);
    }

    private static OutboundConfig config(double calls, double segments, long pollMillis) {
        return new OutboundConfig() {
            public boolean enabled() {
                return true;
            }

            public double callsPerSecond() {
                return calls;
            }

            public double segmentsPerSecond() {
                return segments;
            }

            public Duration pollInterval() {
                return Duration.ofMillis(pollMillis);
            }

            public int claimLimit() {
                return 50;
            }

            public Duration lease() {
                return Duration.ofSeconds(60);
            }

            public Duration retryBackoff() {
                return Duration.ofSeconds(2);
            }

            public Duration claimAhead() {
                return Duration.ofSeconds(1);
            }

            public double paceMargin() {
                return 0.03;
            }

            public Duration lateLimit() {
                return Duration.ofMillis(250);
            }

            public Duration recheckInterval() {
                return Duration.ofSeconds(2);
            }

            public Duration reconcileGrace() {
                return Duration.ofSeconds(30);
            }

            public Duration clockSkew() {
                return Duration.ofSeconds(5);
            }

            public Optional<List<String>> paceMetricAccounts() {
                return Optional.empty();
            }
        };
    }
}
