package io.switchboard.call;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The time zones a phone number may be in, from Google's libphonenumber ({@link PhoneNumberToTimeZonesMapper}): one
 * for most geographic numbers, several for a mobile or non-geographic one (an Australian mobile number has eight).
 * The work runs on the {@code call-time-zones} worker pool: the mapper reads its data files from the class path on
 * first use, and ten thousand numbers take a noticeable moment of CPU, neither of which an event loop may spend.
 */
@ApplicationScoped
class CallTimeZones {

    /** Where no zone is known (a number libphonenumber cannot place), the window is kept in UTC. */
    static final String UNKNOWN_FALLBACK = "UTC";

    private final WorkerExecutor worker;

    CallTimeZones(Vertx vertx) {
        // One thread: batches with a calling window are few, and each is mapped in one go.
        this.worker = vertx.createSharedWorkerExecutor("call-time-zones", 1, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        worker.closeAndForget();
    }

    /** The zones of each number, in order; never empty. */
    Uni<List<List<String>>> of(String[] numbers) {
        return worker.executeBlocking(() -> {
            var util = PhoneNumberUtil.getInstance();
            var mapper = PhoneNumberToTimeZonesMapper.getInstance();
            var zones = new ArrayList<List<String>>(numbers.length);
            for (String number : numbers) {
                zones.add(zonesOf(util, mapper, number));
            }
            return zones;
        }, false);
    }

    private static List<String> zonesOf(PhoneNumberUtil util, PhoneNumberToTimeZonesMapper mapper, String number) {
        try {
            var found = mapper.getTimeZonesForNumber(util.parse(number, null)).stream()
                    .filter(zone -> !zone.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone()))
                    .toList();
            return found.isEmpty() ? List.of(UNKNOWN_FALLBACK) : found;
        } catch (NumberParseException e) {
            return List.of(UNKNOWN_FALLBACK);
        }
    }
}
