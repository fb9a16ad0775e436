package io.switchboard.simulator;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How Twilio connects to a webhook URL and retries it: read from the URL's fragment ({@code #ct=…&rt=…&tt=…&rc=…&rp=…},
 * Twilio's "webhook connection overrides"), with Twilio's defaults for what the fragment does not say. By default
 * Twilio retries a failed connection once and nothing else; retries follow at once. A value out of Twilio's range is
 * refused, as Twilio refuses it (error 11243 for an invalid retry policy), and so is an unknown key, so that a typo
 * shows in a test; the egress edge ({@code e}) and SNI ({@code sni}) change nothing here.
 */
record ConnectionOverrides(Duration connectTimeout, Duration readTimeout, Duration totalTime, int retryCount,
        Set<String> retryPolicy) {

    /** What went wrong with one try, as the retry policy names it. */
    enum Failure {
        /** The connection was refused or not made within the connect timeout. */
        CONNECT("ct"),
        /** No answer, or a pause in it, longer than the read timeout. */
        READ_TIMEOUT("rt"),
        CLIENT_ERROR("4xx"),
        SERVER_ERROR("5xx");

        final String policy;

        Failure(String policy) {
            this.policy = policy;
        }
    }

    /** Twilio's defaults; {@code webhookTimeout} stands in for its 15 s read and total time. */
    static ConnectionOverrides defaults(Duration webhookTimeout) {
        return new ConnectionOverrides(Duration.ofSeconds(5), webhookTimeout, webhookTimeout, 1, Set.of("ct"));
    }

    /** The overrides of {@code url}; defaults where its fragment says nothing. */
    static ConnectionOverrides of(String url, Duration webhookTimeout) {
        var overrides = defaults(webhookTimeout);
        int hash = url.indexOf('#');
        if (hash < 0) {
            return overrides;
        }
        for (String pair : url.substring(hash + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            overrides = switch (key) {
                case "ct" -> overrides.withConnectTimeout(millis(key, value, 100, 10_000));
                case "rt" -> overrides.withReadTimeout(millis(key, value, 100, 15_000));
                case "tt" -> overrides.withTotalTime(millis(key, value, 100, 15_000));
                case "rc" -> overrides.withRetryCount((int) number(key, value, 0, 5));
                case "rp" -> overrides.withRetryPolicy(policy(value));
                case "e", "sni" -> overrides;
                default -> throw new IllegalArgumentException("unknown connection override " + key);
            };
        }
        return overrides;
    }

    /** The URL as it goes on the wire: a fragment is never sent. */
    static String withoutFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }

    /** The fragment with its {@code #}, or an empty string. */
    static String fragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? "" : url.substring(hash);
    }

    /** Whether the policy retries this failure. */
    boolean retries(Failure failure) {
        return retryPolicy.contains("all") || retryPolicy.contains(failure.policy);
    }

    private ConnectionOverrides withConnectTimeout(Duration value) {
        return new ConnectionOverrides(value, readTimeout, totalTime, retryCount, retryPolicy);
    }

    private ConnectionOverrides withReadTimeout(Duration value) {
        return new ConnectionOverrides(connectTimeout, value, totalTime, retryCount, retryPolicy);
    }

    private ConnectionOverrides withTotalTime(Duration value) {
        return new ConnectionOverrides(connectTimeout, readTimeout, value, retryCount, retryPolicy);
    }

    private ConnectionOverrides withRetryCount(int value) {
        return new ConnectionOverrides(connectTimeout, readTimeout, totalTime, value, retryPolicy);
    }

    private ConnectionOverrides withRetryPolicy(Set<String> value) {
        return new ConnectionOverrides(connectTimeout, readTimeout, totalTime, retryCount, value);
    }

    private static Duration millis(String key, String value, long min, long max) {
        return Duration.ofMillis(number(key, value, min, max));
    }

    private static long number(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("connection override " + key + " is not a number: " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("connection override " + key + "=" + n + " is outside " + min + "-"
                    + max);
        }
        return n;
    }

    private static Set<String> policy(String value) {
        var policy = new LinkedHashSet<String>();
        for (String item : value.split(",")) {
            if (!Set.of("ct", "rt", "4xx", "5xx", "all").contains(item)) {
                throw new IllegalArgumentException("invalid retry policy " + value + " (Twilio error 11243)");
            }
            policy.add(item);
        }
        return Set.copyOf(policy);
    }
}
