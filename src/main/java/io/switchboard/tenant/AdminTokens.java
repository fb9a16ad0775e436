package io.switchboard.tenant;

import java.util.Optional;

/** What makes an {@code ADMIN_TOKEN} guessable; {@link StrongAdminToken} refuses such a token at start-up. */
final class AdminTokens {

    static final int MIN_LENGTH = 32;
    static final int MIN_DISTINCT = 8;

    private AdminTokens() {
    }

    /** The start-up failure for a weak token, naming the setting, never the token. */
    static String message(String weakness) {
        return "ADMIN_TOKEN (switchboard.admin.token) " + weakness
                + "; make one with: head -c 32 /dev/urandom | base64";
    }

    /** What makes the token weak, never the token itself; empty when it is strong enough. */
    static Optional<String> weakness(String token) {
        String t = token.strip();
        if (t.length() < MIN_LENGTH) {
            return Optional.of("is too short: " + t.length() + " characters, at least " + MIN_LENGTH + " required");
        }
        long distinct = t.chars().distinct().count();
        if (distinct < MIN_DISTINCT) {
            return Optional.of("has too little variety: " + distinct + " different characters, at least "
                    + MIN_DISTINCT + " required");
        }
        // A short pattern repeated ("abcdefghij" four times) is as guessable as the pattern.
        if ((t + t).indexOf(t, 1) < t.length()) {
            return Optional.of("repeats a shorter pattern");
        }
        return Optional.empty();
    }
}
