package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.twilio.TwilioEndpoints.Product;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** US1's default edge is the bare product host; everywhere else names edge and region, never the region alone. */
class TwilioEndpointsTest {

    private final TwilioEndpoints twilio = TwilioEndpoints.twilio();

    @Test
    void us1WithItsDefaultEdgeIsTheBareProductHost() {
        assertThat(twilio.baseUrl(Product.API, TwilioRegion.US1, "ashburn")).isEqualTo("https://api.twilio.com");
        assertThat(twilio.baseUrl(Product.TRUNKING, TwilioRegion.US1, null)).isEqualTo("https://trunking.twilio.com");
        assertThat(twilio.baseUrl(Product.LOOKUPS, TwilioRegion.US1, "")).isEqualTo("https://lookups.twilio.com");
    }

    @Test
    void us1WithAnotherEdgeNamesBoth() {
        assertThat(twilio.baseUrl(Product.API, TwilioRegion.US1, "dublin"))
                .isEqualTo("https://api.dublin.us1.twilio.com");
    }

    @Test
    void ie1AndAu1NameEdgeAndRegion() {
        assertThat(twilio.baseUrl(Product.API, TwilioRegion.IE1, null)).isEqualTo("https://api.dublin.ie1.twilio.com");
        assertThat(twilio.baseUrl(Product.TRUNKING, TwilioRegion.AU1, "sydney"))
                .isEqualTo("https://trunking.sydney.au1.twilio.com");
        assertThat(twilio.baseUrl(Product.LOOKUPS, TwilioRegion.IE1, "frankfurt"))
                .isEqualTo("https://lookups.frankfurt.ie1.twilio.com");
        assertThat(twilio.baseUrl(Product.API, TwilioRegion.IE1, null)).doesNotContain("api.ie1.");
    }

    @Test
    void messagingFallsBackToUs1ForAu1ButNotForIe1() {
        assertThat(twilio.baseUrl(Product.MESSAGING, TwilioRegion.AU1, "sydney")).isEqualTo("https://api.twilio.com");
        assertThat(twilio.baseUrl(Product.MESSAGING, TwilioRegion.IE1, null))
                .isEqualTo("https://api.dublin.ie1.twilio.com");
        assertThat(twilio.baseUrl(Product.MESSAGING, TwilioRegion.US1, null)).isEqualTo("https://api.twilio.com");
    }

    @Test
    void overridesReplaceSchemeHostPortAndPrefixForEveryRegion() {
        var sim = new TwilioEndpoints(Optional.of("http://localhost:8081/sim/api/"),
                Optional.of("http://localhost:8081/sim/trunking"), Optional.empty());

        for (var region : TwilioRegion.values()) {
            assertThat(sim.baseUrl(Product.API, region, null)).isEqualTo("http://localhost:8081/sim/api");
            assertThat(sim.baseUrl(Product.MESSAGING, region, null)).isEqualTo("http://localhost:8081/sim/api");
            assertThat(sim.baseUrl(Product.TRUNKING, region, null)).isEqualTo("http://localhost:8081/sim/trunking");
        }
        assertThat(sim.baseUrl(Product.LOOKUPS, TwilioRegion.IE1, null))
                .isEqualTo("https://lookups.dublin.ie1.twilio.com");
    }
}
