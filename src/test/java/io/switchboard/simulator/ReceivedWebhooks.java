package io.switchboard.simulator;

import io.switchboard.twilio.TwilioSignature;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What {@link WebhookReceiverResource} received, as the service would see it. */
@ApplicationScoped
public class ReceivedWebhooks {

    /** One request: the URL as requested, its form, and Twilio's headers. */
    public record Received(String name, String url, Map<String, List<String>> form, String signature,
            String idempotencyToken) {

        public String param(String key) {
            var values = form.get(key);
            return values == null ? null : values.get(0);
        }

        boolean signedWith(String authToken) {
            return TwilioSignature.isValid(signature, url, form, List.of(authToken));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    void add(Received request) {
        received.add(request);
    }

    List<Received> named(String name) {
        return received.stream().filter(r -> r.name().equals(name)).toList();
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    void clear() {
        received.clear();
    }
}
