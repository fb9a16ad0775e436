package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated accounts and what each owns. Its monitor guards every account and everything in one: the resources
 * hold it while they read or change them. A singleton, not application scoped, so that the monitor is the bean's own
 * and not a client proxy's.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Singleton
class Accounts {

    private final SimulatorConfig config;
    private final Map<String, SimAccount> accounts = new LinkedHashMap<>();

    Accounts(SimulatorConfig config) {
        this.config = config;
        reset();
    }

    /** Back to the configured accounts, with their API keys and numbers. */
    synchronized void reset() {
        accounts.clear();
        config.accounts().forEach((sid, account) -> {
            create(sid, account.authToken());
            account.apiKeys().forEach((keySid, secret) -> addApiKey(sid, keySid, secret));
            account.numbers().orElse(List.of()).forEach(number -> addNumber(sid, number));
            accounts.get(sid).callsPerSecond = account.callsPerSecond();
        });
    }

    /** Every account and what it owns, to be {@link #restore restored} by a later run. */
    synchronized JsonObject saved() {
        return SimulatorState.save(accounts.values());
    }

    /**
     * The saved accounts replace the configured ones of the same SID, and the configured numbers each keeps are
     * added back when missing (the configuration may have gained one since).
     */
    synchronized void restore(JsonObject state) {
        SimulatorState.load(state).forEach(account -> accounts.put(account.sid, account));
        config.accounts().forEach((sid, account) -> account.numbers().orElse(List.of())
                .forEach(number -> addNumber(sid, number)));
    }

    /**
     * A new account. An existing SID is refused ({@link IllegalStateException}): replacing it would silently drop its
     * numbers, keys and trunks; rotate its token with {@link #createSecondaryAuthToken} and {@link #promote} instead.
     */
    synchronized void create(String accountSid, String authToken) {
        if (!Sids.isSid("AC", accountSid) || authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("an account needs an AC SID and an auth token");
        }
        if (accounts.containsKey(accountSid)) {
            throw new IllegalStateException("account " + accountSid + " exists; reset the simulator, or rotate its "
                    + "auth token with a secondary token and its promotion");
        }
        accounts.put(accountSid, new SimAccount(accountSid, authToken));
    }

    /**
     * Twilio's secondary auth token (Accounts v1 {@code POST /v1/AuthTokens/Secondary}): a second US1 token that
     * authenticates REST requests beside the primary, while webhooks are still signed with the primary; made again, it
     * replaces the previous secondary (https://www.twilio.com/docs/iam/api/secondary_authtoken).
     */
    synchronized void createSecondaryAuthToken(String accountSid, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a secondary auth token must not be blank");
        }
        require(accountSid).secondaryAuthToken = token;
    }

    /** Twilio's {@code DELETE /v1/AuthTokens/Secondary}: the secondary token stops authenticating; false without one. */
    synchronized boolean deleteSecondaryAuthToken(String accountSid) {
        var account = require(accountSid);
        boolean had = account.secondaryAuthToken != null;
        account.secondaryAuthToken = null;
        return had;
    }

    /**
     * Twilio's {@code POST /v1/AuthTokens/Promote}: the secondary token becomes the primary, which signs webhooks from
     * then on, and the old primary stops working at once ("all requests to Twilio using your old primary Auth Token
     * will result in an error", https://www.twilio.com/docs/iam/api/authtoken). Answers the new primary; refused
     * ({@link IllegalStateException}) when there is no secondary token.
     */
    synchronized String promote(String accountSid) {
        var account = require(accountSid);
        if (account.secondaryAuthToken == null) {
            throw new IllegalStateException("account " + accountSid + " has no secondary auth token to promote");
        }
        account.authToken = account.secondaryAuthToken;
        account.secondaryAuthToken = null;
        return account.authToken;
    }

    synchronized void addApiKey(String accountSid, String keySid, String secret) {
        addApiKey(accountSid, SimRegion.US1, keySid, secret);
    }

    /** An API key made in that region, valid there only. */
    synchronized void addApiKey(String accountSid, SimRegion region, String keySid, String secret) {
        if (!Sids.isSid("SK", keySid) || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("an API key needs an SK SID and a secret");
        }
        var account = require(accountSid);
        account.apiKeys.put(keySid, secret);
        account.apiKeyRegions.put(keySid, region);
    }

    /** The account's auth token for a region other than US1, valid there only. */
    synchronized void addRegionalAuthToken(String accountSid, SimRegion region, String authToken) {
        if (region == SimRegion.US1 || authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("a regional auth token is for a region other than us1");
        }
        require(accountSid).regionalAuthTokens.put(region, authToken);
    }

    /** Gives the account a phone number and returns its {@code PN…} SID; an owned number is kept. */
    synchronized String addNumber(String accountSid, String phoneNumber) {
        if (!NumberingPlan.isPossible(phoneNumber)) {
            throw new IllegalArgumentException("not an E.164 number: " + phoneNumber);
        }
        var account = require(accountSid);
        var existing = account.numberByPhone(phoneNumber);
        if (existing != null) {
            return existing.sid;
        }
        var number = new SimNumber(accountSid, phoneNumber);
        account.numbers.put(number.sid, number);
        account.numbersByPhone.put(phoneNumber, number);
        return number.sid;
    }

    /** The number as the REST API shows it. */
    synchronized Optional<JsonObject> number(String accountSid, String phoneNumber) {
        var account = accounts.get(accountSid);
        var number = account == null ? null : account.numberByPhone(phoneNumber);
        return Optional.ofNullable(number).map(SimNumber::toJson);
    }

    synchronized void rotateAuthToken(String accountSid, String newToken) {
        if (newToken == null || newToken.isBlank()) {
            throw new IllegalArgumentException("an auth token must not be blank");
        }
        require(accountSid).authToken = newToken;
    }

    synchronized void removeNumber(String accountSid, String phoneNumber) {
        var account = require(accountSid);
        var number = account.numbersByPhone.remove(phoneNumber);
        if (number != null) {
            account.numbers.remove(number.sid);
        }
    }

    /** The account these basic-auth credentials open in US1, or null. */
    synchronized SimAccount authenticate(String username, String password) {
        return authenticate(SimRegion.US1, username, password);
    }

    /**
     * The account these basic-auth credentials open in the region (account SID + that region's token, or an API key
     * made in that region + its secret), or null: credentials of another region do not authenticate here.
     */
    synchronized SimAccount authenticate(SimRegion region, String username, String password) {
        if (username == null || password == null) {
            return null;
        }
        if (username.startsWith("AC")) {
            var account = accounts.get(username);
            String token = account == null ? null : account.authToken(region);
            if (token != null && same(token, password)) {
                return account;
            }
            // The secondary token is the account's US1 token too, until it is promoted or deleted.
            String secondary = account == null || region != SimRegion.US1 ? null : account.secondaryAuthToken;
            return secondary != null && same(secondary, password) ? account : null;
        }
        for (var account : accounts.values()) {
            String secret = account.apiKeys.get(username);
            if (secret != null && account.apiKeyIn(username, region) && same(secret, password)) {
                return account;
            }
        }
        return null;
    }

    /** The number, whichever account owns it; Twilio's 404 when none does. */
    synchronized SimNumber ownedNumber(String phoneNumber) {
        return accounts.values().stream().map(a -> a.numberByPhone(phoneNumber)).filter(n -> n != null)
                .findFirst().orElseThrow(() -> new SimError(404, 20404, "No account owns " + phoneNumber));
    }

    synchronized SimAccount get(String accountSid) {
        return accounts.get(accountSid);
    }

    /** The account's calls per second, as Twilio enforces them: calls created faster are queued. 0: no limit. */
    synchronized void setCallsPerSecond(String accountSid, int callsPerSecond) {
        if (callsPerSecond < 0) {
            throw new IllegalArgumentException("callsPerSecond must be 0 (no limit) or more");
        }
        var account = require(accountSid);
        account.callsPerSecond = callsPerSecond;
        account.executions.clear();
    }

    /** Every account; only while holding the monitor. */
    Collection<SimAccount> all() {
        return accounts.values();
    }

    private SimAccount require(String accountSid) {
        var account = accounts.get(accountSid);
        if (account == null) {
            throw new IllegalArgumentException("no simulated account " + accountSid);
        }
        return account;
    }

    private static boolean same(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }
}
