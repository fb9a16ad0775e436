package io.switchboard.tenant;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Refuses to start the production build with a guessable {@code ADMIN_TOKEN}, the one credential that creates
 * organizations and issues their keys. Dev and test keep their fixed, obviously fake tokens.
 */
@Startup
@ApplicationScoped
@UnlessBuildProfile(anyOf = { "dev", "test" })
public class AdminTokenCheck {

    static final int MIN_LENGTH = 32;
    static final int MIN_DISTINCT = 8;

    public AdminTokenCheck(AdminConfig admin) {
        weakness(admin.token()).ifPresent(problem -> {
            throw new IllegalStateException("ADMIN_TOKEN (switchboard.admin.token) " + problem
                    + "; make one with: head -c 32 /dev/urandom | base64");
        });
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
