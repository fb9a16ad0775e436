package io.switchboard.support;

import io.switchboard.crypto.SecretCipher;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes an organization, a provider (auth token sealed as the service seals it), a stream agent and assigned numbers
 * straight into the database, for runs where there is no Twilio to connect through: the packaged service in tests
 * and the load harness.
 */
public final class DirectSeed {

    /** What was written; the token signs webhooks. */
    public record Seeded(UUID organizationId, UUID providerId, UUID agentId, String accountSid, String authToken,
            List<String> numbers) {
    }

    private DirectSeed() {
    }

    public static Seeded seed(Connection c, String encryptionKey, int numberCount) throws SQLException {
        var cipher = new SecretCipher(encryptionKey, List.of());
        String accountSid = "AC" + SimAccount.hex(16);
        String token = SimAccount.hex(16);
        UUID org = UUID.randomUUID();
        UUID provider = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        var numbers = new ArrayList<String>();
        var now = Timestamp.from(Instant.now());
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (var o = c.prepareStatement("insert into organization values (?, 'Seeded', ?, ?)");
                var p = c.prepareStatement("""
                        insert into provider (id, organization_id, name, type, account_sid, region, edge,
                                              auth_token_enc, verification_status, last_verified_at, created_at,
                                              updated_at)
                        values (?, ?, 'Seeded', 'twilio', ?, 'us1', 'ashburn', ?, 'verified', now(), ?, ?)""");
                var a = c.prepareStatement("""
                        insert into agent (id, organization_id, name, routing_type, routing_target, parameters,
                                           recording, created_at, updated_at)
                        values (?, ?, 'Seeded bot', 'stream', 'wss://agents.example.com/media', '{"tenant":"seed"}',
                                'off', ?, ?)""");
                var n = c.prepareStatement("""
                        insert into phone_number (id, organization_id, provider_id, number, agent_id, twilio_sid,
                                                  voice, sms, previous_config, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, true, true, '{}', ?, ?)""")) {
            o.setObject(1, org);
            o.setTimestamp(2, now);
            o.setTimestamp(3, now);
            o.executeUpdate();
            p.setObject(1, provider);
            p.setObject(2, org);
            p.setString(3, accountSid);
            p.setString(4, cipher.encrypt(token, "provider:" + provider + ":authToken"));
            p.setTimestamp(5, now);
            p.setTimestamp(6, now);
            p.executeUpdate();
            a.setObject(1, agent);
            a.setObject(2, org);
            a.setTimestamp(3, now);
            a.setTimestamp(4, now);
            a.executeUpdate();
            int base = 2_000_000 + new SecureRandom().nextInt(5_000_000);
            for (int i = 0; i < numberCount; i++) {
                String number = "+1415" + (base + i);
                numbers.add(number);
                n.setObject(1, UUID.randomUUID());
                n.setObject(2, org);
                n.setObject(3, provider);
                n.setString(4, number);
                n.setObject(5, agent);
                n.setString(6, "PN" + SimAccount.hex(16));
                n.setTimestamp(7, now);
                n.setTimestamp(8, now);
                n.addBatch();
            }
            n.executeBatch();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new Seeded(org, provider, agent, accountSid, token, List.copyOf(numbers));
    }
}
