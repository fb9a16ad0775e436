package io.switchboard.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dispatcher of this replica did, by kind (its table: {@code call}, {@code message}):
 * {@code switchboard_dispatch_claims_total{kind}} (rows claimed to be sent), {@code switchboard_dispatch_ambiguous_total
 * {kind}} (creates answered with a 5xx or a timeout, which Twilio may have made),
 * {@code switchboard_reconcile_outcomes_total{kind, outcome}}, each check of an ambiguous row by what came of it, and
 * the pace: {@code switchboard_dispatch_pace_allowed_total{kind, account}}, the pace intervals (calls, message
 * segments) the accounts allowed while they had sends due, and {@code switchboard_dispatch_pace_used_total{kind,
 * account}}, those sent to Twilio at their slots; their rates are the allowed and the achieved pace, and summed over
 * replicas they count every slot once (a pace row is claimed by one replica at a time).
 * <p>
 * {@code account} is a Twilio account SID only for the accounts listed in
 * {@code switchboard.outbound.pace-metric-accounts}, and {@code other} for every other account together: the set of
 * series is fixed at start, however many tenants there are.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class DispatchMetrics {

    /** What a check of an ambiguous row found. */
    enum Outcome {
        /** A status callback had named the row meanwhile. */
        CALLBACK,
        /** Found in Twilio and adopted. */
        ADOPTED,
        /** Not found, within the grace period: checked again later. */
        NOT_FOUND_YET,
        /** Twilio could not be searched (or the credentials read): checked again later. */
        CHECK_FAILED,
        /** Not found after the grace period: sent once more. */
        SENT_AGAIN,
        /** Not found after the grace period, and withdrawn meanwhile. */
        CANCELED,
        /** Not found after the grace period and not sent again, or its provider gone. */
        FAILED
    }

    /** The {@code account} of every account not listed in {@code switchboard.outbound.pace-metric-accounts}. */
    static final String OTHER_ACCOUNTS = "other";

    private final MeterRegistry registry;
    private final Set<String> listedAccounts;
    private final Map<String, Counter> claims = new ConcurrentHashMap<>();
    /** By kind, then account (listed, or {@value #OTHER_ACCOUNTS}). */
    private final Map<String, Map<String, Counter>> paceAllowed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> paceUsed = new ConcurrentHashMap<>();
    private final Map<String, Counter> ambiguous = new ConcurrentHashMap<>();
    private final Map<String, Map<Outcome, Counter>> outcomes = new ConcurrentHashMap<>();

    DispatchMetrics(MeterRegistry registry, @All List<DispatchKind> kinds, OutboundConfig config) {
        this.registry = registry;
        this.listedAccounts = Set.copyOf(config.paceMetricAccounts().orElse(List.of()));
        kinds.forEach(kind -> register(kind.noun()));
    }

    /** A kind's counters; a kind that is not a bean (a test's own) is registered at its first use. */
    private String register(String name) {
        claims.computeIfAbsent(name, n -> Counter.builder("switchboard.dispatch.claims").tag("kind", n)
                .description("Sends claimed by this replica's dispatcher").register(registry));
        ambiguous.computeIfAbsent(name, n -> Counter.builder("switchboard.dispatch.ambiguous").tag("kind", n)
                .description("Creates answered with a 5xx or a timeout: reconciled, never resent at once")
                .register(registry));
        outcomes.computeIfAbsent(name, n -> {
            var byOutcome = new EnumMap<Outcome, Counter>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("switchboard.reconcile.outcomes").tag("kind", n)
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .description("Checks of ambiguous creates, by what came of them").register(registry));
            }
            return byOutcome;
        });
        paceAllowed.computeIfAbsent(name, n -> perAccount(Counter.builder("switchboard.dispatch.pace.allowed")
                .tag("kind", n).description("Pace intervals (calls, message segments) the accounts allowed while "
                        + "they had sends due")));
        paceUsed.computeIfAbsent(name, n -> perAccount(Counter.builder("switchboard.dispatch.pace.used")
                .tag("kind", n).description("Pace intervals (calls, message segments) sent to Twilio at their slots")));
        return name;
    }

    private Map<String, Counter> perAccount(Counter.Builder counter) {
        var byAccount = new ConcurrentHashMap<String, Counter>();
        listedAccounts.forEach(account -> byAccount.put(account, counter.tag("account", account).register(registry)));
        byAccount.put(OTHER_ACCOUNTS, counter.tag("account", OTHER_ACCOUNTS).register(registry));
        return byAccount;
    }

    /** The account's series: its own when it is listed, else the one of all other accounts. */
    private static Counter of(Map<String, Counter> byAccount, String accountSid) {
        Counter listed = accountSid == null ? null : byAccount.get(accountSid);
        return listed != null ? listed : byAccount.get(OTHER_ACCOUNTS);
    }

    /** A claim gave the account's pace key {@code intervals} more of allowed pace. */
    void paceAllowed(DispatchKind kind, String accountSid, double intervals) {
        if (intervals > 0) {
            of(paceAllowed.get(register(kind.noun())), accountSid).increment(intervals);
        }
    }

    /** A send of {@code intervals} (1 for a call, its segments for a message) left for Twilio at its slot. */
    void paceUsed(DispatchKind kind, String accountSid, double intervals) {
        of(paceUsed.get(register(kind.noun())), accountSid).increment(intervals);
    }

    void claimed(DispatchKind kind, int rows) {
        claims.get(register(kind.noun())).increment(rows);
    }

    void ambiguous(DispatchKind kind) {
        ambiguous.get(register(kind.noun())).increment();
    }

    void reconciled(DispatchKind kind, Outcome outcome) {
        outcomes.get(register(kind.noun())).get(outcome).increment();
    }
}
