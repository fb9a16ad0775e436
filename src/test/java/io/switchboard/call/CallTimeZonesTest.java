package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallTimeZonesTest {

    private final Vertx vertx = Vertx.vertx();
    private final CallTimeZones zones = new CallTimeZones(vertx);

    @AfterEach
    void close() {
        zones.close();
        vertx.closeAndAwait();
    }

    @Test
    void eachNumberHasItsZonesAndOneWithNoneKnownHasUtc() {
        var found = zones.of(new String[] { "+14155550123", "+61412345678", "+15555550123" })
                .await().atMost(Duration.ofSeconds(10));
        assertThat(found.get(0)).containsExactly("America/Los_Angeles");
        // A mobile number of a country with several zones may be in any of them.
        assertThat(found.get(1)).contains("Australia/Perth", "Australia/Sydney").hasSizeGreaterThan(2);
        assertThat(found.get(2)).containsExactly(CallTimeZones.UNKNOWN_FALLBACK);
    }
}
