package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds the official SDKs' published validator vectors, each cited where it comes from, so this implementation is
 * checked against Twilio's own numbers rather than against itself.
 */
class TwilioSignatureTest {

    // Shared by twilio-java RequestValidatorTest, twilio-python tests/unit/test_request_validator.py and
    // twilio-node spec/validation.spec.js.
    private static final String TOKEN = "12345";
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, List<String>> PARAMS = Map.of(
            "CallSid", List.of("CA1234567890ABCDE"),
            "Caller", List.of("+14158675309"),
            "Digits", List.of("1234"),
            "From", List.of("+14158675309"),
            "To", List.of("+18005551212"));
    private static final String SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private static final String BODY = "{\"property\": \"value\", \"boolean\": true}";
    private static final String BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    @Test
    void signsTheClassicVector() {
        // twilio-python test_compute_signature.
        assertThat(TwilioSignature.sign(URL, PARAMS, TOKEN)).isEqualTo(SIGNATURE);
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, PARAMS, List.of(TOKEN))).isTrue();
    }

    @Test
    void repeatedKeysSignTheirDistinctValuesSorted() {
        // twilio-python test_compute_signature_duplicate_multi_dict (5678, 1234) and twilio-node
        // "multiple params and values" (5678, 1234, 1234): both sign as Digits1234Digits5678.
        var params = new LinkedHashMap<String, List<String>>();
        params.put("Sid", List.of("CA123"));
        params.put("SidAccount", List.of("AC123"));
        params.put("Digits", List.of("5678", "1234", "1234"));
        assertThat(TwilioSignature.sign(URL, params, TOKEN)).isEqualTo("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
        params.put("Digits", List.of("5678", "1234"));
        assertThat(TwilioSignature.isValid("IK+Dwps556ElfBT0I3Rgjkr1wJU=", URL, params, List.of(TOKEN))).isTrue();
    }

    @Test
    void arrayValuesVerifyInAnyOrder() {
        // twilio-node "array parameter" and "regardless of the position of values in the array".
        String signature = "83O6e2vORAoJHUNzJjDWN1jz+BA=";
        assertThat(TwilioSignature.isValid(signature, URL,
                Map.of("MessagingBinding.Address", List.of("+1325xxxxxxx", "+1415xxxxxxx")), List.of(TOKEN))).isTrue();
        assertThat(TwilioSignature.isValid(signature, URL,
                Map.of("MessagingBinding.Address", List.of("+1415xxxxxxx", "+1325xxxxxxx")), List.of(TOKEN))).isTrue();
    }

    @Test
    void keysSortByCodeUnitCaseSensitively() {
        // "Z" (0x5A) sorts before "a" (0x61): a case-insensitive sort would sign aZ, not Za.
        var params = Map.of("a", List.of("1"), "Z", List.of("2"));
        assertThat(TwilioSignature.sign("https://x.test/p", params, TOKEN))
                .isEqualTo(TwilioSignature.sign("https://x.test/pZ2a1", Map.of(), TOKEN))
                .isNotEqualTo(TwilioSignature.sign("https://x.test/pa1Z2", Map.of(), TOKEN));
    }

    @Test
    void portVariants() {
        // twilio-java/-python/-node: a port is stripped; 443 or 80 is added when absent.
        assertThat(TwilioSignature.isValid(SIGNATURE, URL.replace(".com", ".com:1234"), PARAMS, List.of(TOKEN)))
                .isTrue();
        String httpWithPort = URL.replace(".com", ".com:1234").replace("https", "http");
        assertThat(TwilioSignature.isValid("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", httpWithPort, PARAMS, List.of(TOKEN)))
                .isTrue();
        assertThat(TwilioSignature.isValid("kvajT1Ptam85bY51eRf/AJRuM3w=", URL, PARAMS, List.of(TOKEN))).isTrue();
        assertThat(TwilioSignature.isValid("0ZXoZLH/DfblKGATFgpif+LLRf4=", URL.replace("https", "http"), PARAMS,
                List.of(TOKEN))).isTrue();
    }

    @Test
    void urlsWithCredentialsAndSpecialCharacters() {
        // twilio-node "urls with credentials", "with just username", "by adding port", "special characters".
        String withCredentials = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(TwilioSignature.isValid("CukzLTc1tT5dXEDIHm/tKBanW10=", withCredentials, PARAMS, List.of(TOKEN)))
                .isTrue();
        assertThat(TwilioSignature.isValid("ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=", withCredentials, PARAMS, List.of(TOKEN)))
                .isTrue();
        assertThat(TwilioSignature.isValid("2YRLlVAflCqxaNicjMpJcSTgzSs=",
                "https://user@mycompany.com/myapp.php?foo=1&bar=2", PARAMS, List.of(TOKEN))).isTrue();
        assertThat(TwilioSignature.isValid("dsq4Ehbj6cs+KdTkpF5sSSplOWw=", URL + "&Body=It's+amazing", PARAMS,
                List.of(TOKEN))).isTrue();
    }

    @Test
    void jsonBodies() {
        // twilio-java testValidateBody / testValidateWithBody / testValidateWithNoOtherParameters; twilio-node
        // "request body when empty".
        assertThat(TwilioSignature.sha256Hex(BODY)).isEqualTo(BODY_HASH);
        assertThat(TwilioSignature.isValidJson("a9nBmqA0ju/hNViExpshrM61xv4=", URL + "&bodySHA256=" + BODY_HASH, BODY,
                List.of(TOKEN))).isTrue();
        assertThat(TwilioSignature.isValidJson("y77kIzt2vzLz71DgmJGsen2scGs=",
                "https://mycompany.com/myapp.php?bodySHA256=" + BODY_HASH, BODY, List.of(TOKEN))).isTrue();
        String emptyHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        assertThat(TwilioSignature.isValidJson("Ldidvp12m26NI7eqEvxnEpkd9Hc=", URL + "&bodySHA256=" + emptyHash, "{}",
                List.of(TOKEN))).isTrue();
    }

    @Test
    void jsonBodyTampering() {
        String url = URL + "&bodySHA256=" + BODY_HASH;
        // Right URL signature, different body: the hash no longer matches.
        assertThat(TwilioSignature.isValidJson("a9nBmqA0ju/hNViExpshrM61xv4=", url, BODY + " ", List.of(TOKEN)))
                .isFalse();
        // twilio-java testValidateBodyWithoutSignature: no bodySHA256 in the URL.
        assertThat(TwilioSignature.isValidJson(SIGNATURE, URL, BODY, List.of(TOKEN))).isFalse();
        // twilio-node "wrong hash": the URL's last hex digit cut.
        assertThat(TwilioSignature.isValidJson("a9nBmqA0ju/hNViExpshrM61xv4=", url.substring(0, url.length() - 1),
                BODY, List.of(TOKEN))).isFalse();
    }

    @Test
    void tampering() {
        var tampered = new LinkedHashMap<>(PARAMS);
        tampered.put("Digits", List.of("9999"));
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, tampered, List.of(TOKEN))).isFalse();
        var added = new LinkedHashMap<>(PARAMS);
        added.put("Extra", List.of(""));
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, added, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid(SIGNATURE, URL + "&extra=1", PARAMS, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid(SIGNATURE, URL.replace("https", "http"), PARAMS, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid("NOT" + SIGNATURE, URL, PARAMS, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid(null, URL, PARAMS, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid("", URL, PARAMS, List.of(TOKEN))).isFalse();
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, PARAMS, List.of("54321"))).isFalse();
    }

    @Test
    void anyTokenOfARotationVerifies() {
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, PARAMS, List.of("new-token", TOKEN))).isTrue();
        assertThat(TwilioSignature.isValid(SIGNATURE, URL, PARAMS, List.of())).isFalse();
    }
}
