package io.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What dev mode saves of the simulated accounts when it stops reads back as the same accounts at the next start. */
class SimulatorStateTest {

    @Test
    void anAccountWithItsCredentialsNumbersTrunkAndCredentialListReadsBackTheSame() {
        var account = new SimAccount("AC00000000000000000000000000000009", "99999999999999999999999999999999");
        account.regionalAuthTokens.put(SimRegion.IE1, "ie1-token");
        account.apiKeys.put("SK00000000000000000000000000000009", "key-secret");
        account.apiKeyRegions.put("SK00000000000000000000000000000009", SimRegion.AU1);
        account.callsPerSecond = 5;
        var number = new SimNumber(account.sid, "+14155550199");
        number.voiceUrl = "http://localhost:8080/twilio/voice/inbound";
        number.smsUrl = "http://localhost:8080/twilio/messaging/inbound";
        number.statusCallback = "http://localhost:8080/twilio/voice/status";
        number.trunkSid = "TK00000000000000000000000000000009";
        number.updated = Instant.parse("2026-12-01T10:00:00Z");
        account.numbers.put(number.sid, number);
        account.numbersByPhone.put(number.phoneNumber, number);
        var list = new SimCredentialList(account.sid, "agents");
        list.credentials.put("CR1", new SimCredentialList.Credential("CR1", "agent", "pw", Instant.now()));
        account.credentialLists.put(list.sid, list);
        var trunk = new SimTrunk(account.sid, "Switchboard", "acme.pstn.twilio.com");
        trunk.credentialLists.put(list.sid, Instant.parse("2026-12-01T10:00:01Z"));
        trunk.originationUrls.put("OU1", new SimTrunk.OriginationUrl("OU1", "agents", "sip:agents.example.com", 10,
                10, true, Instant.parse("2026-12-01T10:00:02Z")));
        account.trunks.put(trunk.sid, trunk);

        // Through its text, as the file holds it.
        var text = SimulatorState.save(List.of(account)).encode();
        var restored = SimulatorState.load(new JsonObject(text));

        assertThat(restored).hasSize(1);
        var back = restored.get(0);
        assertThat(back.sid).isEqualTo(account.sid);
        assertThat(back.authToken).isEqualTo(account.authToken);
        assertThat(back.regionalAuthTokens).isEqualTo(account.regionalAuthTokens);
        assertThat(back.apiKeys).isEqualTo(account.apiKeys);
        assertThat(back.apiKeyRegions).isEqualTo(account.apiKeyRegions);
        assertThat(back.callsPerSecond).isEqualTo(5);
        assertThat(back.numberByPhone("+14155550199").toJson()).isEqualTo(number.toJson());
        assertThat(back.numbers.keySet()).containsExactly(number.sid);
        assertThat(back.credentialLists.get(list.sid).toJson()).isEqualTo(list.toJson());
        assertThat(back.credentialLists.get(list.sid).credentials).isEqualTo(list.credentials);
        assertThat(back.trunks.get(trunk.sid).toJson("http://sim")).isEqualTo(trunk.toJson("http://sim"));
        assertThat(back.trunks.get(trunk.sid).credentialLists).isEqualTo(trunk.credentialLists);
        assertThat(back.trunks.get(trunk.sid).originationUrls).isEqualTo(trunk.originationUrls);
    }

    @Test
    void aFileOfAnotherVersionReadsAsNoAccounts() {
        assertThat(SimulatorState.load(new JsonObject().put("version", 99).put("accounts", List.of()))).isEmpty();
    }
}
