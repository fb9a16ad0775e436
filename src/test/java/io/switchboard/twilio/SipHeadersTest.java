package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipHeadersTest {

    @Test
    void encodesEverythingButLettersDigitsAndUnreservedMarks() {
        assertThat(SipHeaders.encode("aZ09-_.~")).isEqualTo("aZ09-_.~");
        assertThat(SipHeaders.encode("+1 415;x=y&z?")).isEqualTo("%2B1%20415%3Bx%3Dy%26z%3F");
        assertThat(SipHeaders.encode("é😀")).isEqualTo("%C3%A9%F0%9F%98%80");
        assertThat(SipHeaders.encode("a\r\nb%")).isEqualTo("a%0D%0Ab%25");
        assertThat(SipHeaders.encode(null)).isEmpty();
    }

    @Test
    void appendsAfterTheUrisOwnHeadersEachWholeWithinTheLimit() {
        assertThat(SipHeaders.append("sip:a@b.example.com", List.of(entry("x", "1"), entry("y", "2"))).uri())
                .isEqualTo("sip:a@b.example.com?X-x=1&X-y=2");
        assertThat(SipHeaders.append("sip:a@b.example.com?User-to-User=ab", List.of(entry("x", "1"))).uri())
                .isEqualTo("sip:a@b.example.com?User-to-User=ab&X-x=1");

        // 1,000 characters of headers, then one that would take them to 1,024: left out, the next short one kept.
        var result = SipHeaders.append("sip:a@b.example.com", List.of(entry("big", "v".repeat(994)),
                entry("over", "v".repeat(17)), entry("ok", "1")));
        assertThat(SipHeaders.headersLength(result.uri())).isEqualTo(1000 + 7).isLessThanOrEqualTo(1023);
        assertThat(result.dropped()).containsExactly("over");
        assertThat(result.uri()).endsWith("&X-ok=1");

        var exactly = SipHeaders.append("sip:a@b.example.com", List.of(entry("big", "v".repeat(1017))));
        assertThat(SipHeaders.headersLength(exactly.uri())).isEqualTo(1023);
        assertThat(SipHeaders.append("sip:a@b.example.com", List.of(entry("big", "v".repeat(1018)))).dropped())
                .containsExactly("big");
    }

    @Test
    void budgetsTheParametersBesideTheServicesOwnHeaders() {
        assertThat(SipHeaders.SERVICE_RESERVE).isEqualTo(SipHeaders.headersLength(SipHeaders.append("sip:a@b", List.of(
                entry("callSid", "CA" + "0".repeat(32)), entry("from", "+123456789012345"),
                entry("to", "+123456789012345"), entry("agentId", "00000000-0000-0000-0000-000000000000")))
                .uri()));
        assertThat(SipHeaders.agentBudget("sip:a@b")).isEqualTo(1023 - SipHeaders.SERVICE_RESERVE);
        assertThat(SipHeaders.agentBudget("sip:a@b?X-k=v")).isEqualTo(1023 - SipHeaders.SERVICE_RESERVE - 6);
        assertThat(SipHeaders.length(Map.of("k", "a b"))).isEqualTo("&X-k=a%20b".length());
        assertThat(SipHeaders.isRefusedName("twilioThing")).isTrue();
        assertThat(SipHeaders.isRefusedName("TWILIO")).isTrue();
        assertThat(SipHeaders.isRefusedName("tenant")).isFalse();
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return new SimpleImmutableEntry<>(name, value);
    }
}
