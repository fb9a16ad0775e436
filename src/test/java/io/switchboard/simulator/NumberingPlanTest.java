package io.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.common.PhoneNumbers;
import org.junit.jupiter.api.Test;

/** The simulator's numbering plan: the service's E.164 rule, with the seven-digit minimum of a number in use. */
class NumberingPlanTest {

    @Test
    void aPossibleNumberIsE164WithAtLeastSevenDigits() {
        assertThat(NumberingPlan.isPossible("+6831234")).isTrue();
        assertThat(NumberingPlan.isPossible("+123456789012345")).isTrue();
        // E.164 for the service, too short to be anyone's number.
        assertThat(PhoneNumbers.isE164("+683123")).isTrue();
        assertThat(NumberingPlan.isPossible("+683123")).isFalse();
        assertThat(NumberingPlan.isPossible("+1234567890123456")).isFalse();
        assertThat(NumberingPlan.isPossible("+0155501000")).isFalse();
        assertThat(NumberingPlan.isPossible("14155550100")).isFalse();
        assertThat(NumberingPlan.isPossible(null)).isFalse();
    }

    @Test
    void countriesAndFormatsFollowTheLongestKnownCallingCode() {
        assertThat(NumberingPlan.country("+14155550100")).isEqualTo("US");
        assertThat(NumberingPlan.country("+353861234567")).isEqualTo("IE");
        assertThat(NumberingPlan.nationalFormat("+14155550100")).isEqualTo("(415) 555-0100");
        assertThat(NumberingPlan.nationalFormat("+442071234567")).isEqualTo("02071234567");
        assertThat(NumberingPlan.isValid("+1415555010")).isFalse();
        assertThat(NumberingPlan.isValid("+8801712345678")).isFalse();
        assertThat(NumberingPlan.isValid("+442071234567")).isTrue();
    }
}
