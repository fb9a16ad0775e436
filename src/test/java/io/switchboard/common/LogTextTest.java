package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void leavesAnOrdinaryValueAsItIs() {
        String sid = "CA0123456789abcdef0123456789abcdef";
        assertThat(LogText.safe(sid)).isSameAs(sid);
        assertThat(LogText.safe("café ☎ 😀")).isEqualTo("café ☎ 😀");
        assertThat(LogText.safe(null)).isEqualTo("null");
    }

    @Test
    void noCharacterCanEndTheLine() {
        assertThat(LogText.safe("CA1\r\nERROR forged\ttab\u0000\u001b[2J\u007f\u0085\u2028\u2029"))
                .isEqualTo("CA1\\r\\nERROR forged\\ttab\\u0000\\u001b[2J\\u007f\\u0085\\u2028\\u2029");
        for (char c = 0; c < 0xFFFF; c++) {
            String safe = LogText.safe("a" + c);
            assertThat(safe.chars().noneMatch(x -> Character.isISOControl(x) || x == '\u2028' || x == '\u2029'))
                    .as("U+%04X", (int) c).isTrue();
        }
    }

    @Test
    void cutsALongValue() {
        assertThat(LogText.safe("x".repeat(3_000))).isEqualTo("x".repeat(LogText.MAX) + "…(3000 characters)");
        assertThat(LogText.safe("\n".repeat(3_000))).startsWith("\\n\\n").endsWith("…(3000 characters)")
                .hasSize(2 * LogText.MAX + "…(3000 characters)".length());
    }
}
