package io.switchboard.call;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The caller ID of {@code from: "auto"}: for each target, the agent's number in the target's country and area code (its
 * national destination code, from Google's libphonenumber) when there is one, else the agent's first number. Runs on
 * the {@code call-caller-ids} worker pool: libphonenumber reads its metadata from the class path on first use, and ten
 * thousand targets take a moment of CPU, neither of which an event loop may spend.
 */
@ApplicationScoped
class CallerIds {

    private final WorkerExecutor worker;

    CallerIds(Vertx vertx) {
        // One thread: batches with an automatic caller ID are matched in one go each.
        this.worker = vertx.createSharedWorkerExecutor("call-caller-ids", 1, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        worker.closeAndForget();
    }

    /** For each target, the index of its caller ID among {@code numbers} (never empty), oldest first. */
    Uni<int[]> choose(String[] targets, List<String> numbers) {
        return worker.executeBlocking(() -> {
            var util = PhoneNumberUtil.getInstance();
            var byArea = new HashMap<String, Integer>();
            for (int i = numbers.size() - 1; i >= 0; i--) {
                String area = area(util, numbers.get(i));
                if (area != null) {
                    byArea.put(area, i);
                }
            }
            var chosen = new int[targets.length];
            for (int i = 0; i < targets.length; i++) {
                String area = area(util, targets[i]);
                chosen[i] = area == null ? 0 : byArea.getOrDefault(area, 0);
            }
            return chosen;
        }, false);
    }

    /** The country calling code and the area code, such as {@code 1:415}; null when the number has no area code. */
    static String area(PhoneNumberUtil util, String number) {
        try {
            var parsed = util.parse(number, null);
            int length = util.getLengthOfNationalDestinationCode(parsed);
            if (length <= 0) {
                return null;
            }
            return parsed.getCountryCode() + ":" + util.getNationalSignificantNumber(parsed).substring(0, length);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
