package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormParamsTest {

    @Test
    void decodesPairsAsSentKeepingCaseOrderAndRepeats() {
        var params = FormParams.parse("To=%2B14155550100&From=%2B1+415+555+0101&StirVerstat=B&StirVerstat=A"
                + "&Body=caf%C3%A9%20%26%20more%3D&to=lower");
        assertThat(params.get("To")).isEqualTo("+14155550100");
        assertThat(params.get("to")).isEqualTo("lower");
        assertThat(params.get("From")).isEqualTo("+1 415 555 0101");
        assertThat(params.get("Body")).isEqualTo("café & more=");
        assertThat(params.getAll("StirVerstat")).containsExactly("B", "A");
        assertThat(params.names()).containsExactly("To", "From", "StirVerstat", "Body", "to");
        assertThat(params.size()).isEqualTo(6);
        assertThat(params.asMap()).containsEntry("StirVerstat", List.of("B", "A"));
        assertThat(params.asMap().keySet()).containsExactly("Body", "From", "StirVerstat", "To", "to");
        assertThat(params.get("Missing")).isNull();
    }

    @Test
    void skipsEmptyPairsAndKeepsEmptyValues() {
        var params = FormParams.parse("&A=&&B&C=x=y&");
        assertThat(params.names()).containsExactly("A", "B", "C");
        assertThat(params.get("A")).isEmpty();
        assertThat(params.get("B")).isEmpty();
        assertThat(params.get("C")).isEqualTo("x=y");
        assertThat(FormParams.parse("").size()).isZero();
        assertThat(FormParams.parse(null).size()).isZero();
    }

    @Test
    void growsPastItsFirstCapacity() {
        var body = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : "&").append("P").append(i).append('=').append(i);
        }
        var params = FormParams.parse(body.toString());
        assertThat(params.size()).isEqualTo(40);
        assertThat(params.get("P39")).isEqualTo("39");
    }

    @Test
    void refusesAMalformedEscape() {
        assertThatThrownBy(() -> FormParams.parse("To=%ZZ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FormParams.parse("To=%2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storesAsAJsonObjectOfArraysWithoutNul() {
        var json = new JsonObject(FormParams.parse("A=1&A=2&B=x%00y").toJsonString());
        assertThat(json).isEqualTo(new JsonObject("{\"A\":[\"1\",\"2\"],\"B\":[\"xy\"]}"));
    }

    @Test
    void writesTheSameJsonAsTheGeneralEncoder() {
        var params = FormParams.parse("A=1&B=quote%22back%5Cslash&A=2&C=line%0Abreak%09tab%0Dcr%01ctl"
                + "&D=caf%C3%A9+%E2%98%8E&E=x%00y&F%00=nul-name&F=plain&Empty=");
        String written = params.toJsonString();
        assertThat(new JsonObject(written)).isEqualTo(generalEncoding(params));
        assertThat(written).startsWith("{\"A\":[\"1\",\"2\"],\"B\":[\"quote\\\"back\\\\slash\"]");
        assertThat(new JsonObject(written).getJsonArray("F")).containsExactly("nul-name", "plain");
        assertThat(FormParams.EMPTY.toJsonString()).isEqualTo("{}");
    }

    @Test
    void linksEachPairToTheNextOfTheSameName() {
        assertThat(FormParams.nextWithSameKey(new String[] { "A", "B", "A", "C", "B", "A", "unused" }, 6))
                .containsExactly(2, 4, 5, -1, -1, -1);
        assertThat(FormParams.nextWithSameKey(new String[0], 0)).isEmpty();
    }

    /**
     * A crafted body of many names, each sent a few times: the pairs are grouped with a number of key comparisons
     * that grows with the body, not with its square (four times the pairs, about four times the work, where
     * comparing each pair with the rest would be sixteen).
     */
    @Test
    void groupsRepeatedNamesInLinearTime() {
        long small = comparisons(4_000);
        long large = comparisons(16_000);
        assertThat(small).isPositive();
        assertThat((double) large / small).isLessThan(6.0);
    }

    @Test
    void encodesA64KibBodyOfRepeatedNamesGroupedInOrder() {
        var body = new StringBuilder();
        int pairs = 0;
        while (body.length() < 64 * 1024 - 16) {
            body.append(pairs == 0 ? "" : "&").append('k').append(pairs % 3_000).append('=').append(pairs);
            pairs++;
        }
        var json = new JsonObject(FormParams.parse(body.toString()).toJsonString());
        assertThat(json.size()).isEqualTo(3_000);
        assertThat(json.fieldNames().iterator().next()).isEqualTo("k0");
        int total = 0;
        for (int k = 0; k < 3_000; k++) {
            JsonArray values = json.getJsonArray("k" + k);
            for (int i = 0; i < values.size(); i++) {
                assertThat(values.getString(i)).isEqualTo(String.valueOf(k + 3_000 * i));
            }
            total += values.size();
        }
        assertThat(total).isEqualTo(pairs);
    }

    /** The equals and hashCode calls of grouping {@code pairs} keys, a fifth of them distinct. */
    private static long comparisons(int pairs) {
        var counter = new long[1];
        var keys = new CountedKey[pairs];
        for (int i = 0; i < pairs; i++) {
            keys[i] = new CountedKey("P" + (i % (pairs / 5)), counter);
        }
        FormParams.nextWithSameKey(keys, pairs);
        return counter[0];
    }

    /** A key that counts how often it is compared or hashed. */
    private record CountedKey(String name, long[] counter) {

        @Override
        public boolean equals(Object other) {
            counter[0]++;
            return other instanceof CountedKey key && key.name.equals(name);
        }

        @Override
        public int hashCode() {
            counter[0]++;
            return name.hashCode();
        }
    }

    @Test
    void readsAJsonBodysFieldsAsText() {
        var params = FormParams.of(new JsonObject("{\"AccountSid\":\"AC1\",\"Count\":3,\"Flag\":true}"));
        assertThat(params.get("AccountSid")).isEqualTo("AC1");
        assertThat(params.get("Count")).isEqualTo("3");
        assertThat(params.get("Flag")).isEqualTo("true");
    }

    /** The same shape built with the general JSON API, NUL removed: the reference the direct writer must match. */
    private static JsonObject generalEncoding(FormParams params) {
        var json = new JsonObject(new LinkedHashMap<>());
        for (String name : params.names()) {
            String clean = CallbackEvent.clean(name);
            JsonArray values = json.getJsonArray(clean);
            if (values == null) {
                values = new JsonArray();
                json.put(clean, values);
            }
            for (String value : params.getAll(name)) {
                values.add(CallbackEvent.clean(value));
            }
        }
        return json;
    }
}
