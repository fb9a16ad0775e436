package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /2010-04-01/Accounts/{AccountSid}/Messages}: SMS sent over REST, inbound SMS delivered by tests, and the
 * {@code <Message>} replies the service answers them with. {@link CallFlow} moves each message to delivered.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class Messages implements TwilioResource {

    private final Accounts accounts;
    private final Conditions conditions;
    private final CallFlow flow;
    private final Map<String, SimMessage> messages = new ConcurrentHashMap<>();

    Messages(Accounts accounts, Conditions conditions, CallFlow flow) {
        this.accounts = accounts;
        this.conditions = conditions;
        this.flow = flow;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Messages.json",
                x -> Reply.created(create(x.account(), x.form())));
        routes.on(HttpMethod.GET, "api", ACCOUNT + "/Messages.json", x -> Reply.ok(Pages.page2010("messages",
                list(x.account(), x.query()), x.account().uri("/Messages.json"), x.query(), List.of("To", "From"))));
        routes.on(HttpMethod.GET, "api", ACCOUNT + "/Messages/{Sid}.json",
                x -> Reply.ok(fetch(x.account(), x.path("Sid"), x.requestPath())));
    }

    JsonObject create(SimAccount account, Params form) {
        SimMessage message;
        synchronized (accounts) {
            String to = form.get("To");
            String from = form.get("From", null);
            String service = form.get("MessagingServiceSid", null);
            if (to == null || to.isBlank()) {
                throw new SimError(400, 21604, "A 'To' phone number is required");
            }
            if (from == null && service == null) {
                throw new SimError(400, 21603, "A 'From' phone number is required");
            }
            String body = form.get("Body", null);
            if (body == null && form.get("MediaUrl", null) == null) {
                throw new SimError(400, 21602, "Message body is required");
            }
            MagicNumbers.checkMessage(from, to);
            if (!NumberingPlan.isPossible(to)) {
                throw MagicNumbers.invalidMessageTo();
            }
            if (service != null && !Sids.isSid("MG", service)) {
                throw new SimError(400, 21701, "The Messaging Service Sid " + service + " is invalid");
            }
            if (from != null && account.numberByPhone(from) == null && !MagicNumbers.VALID_FROM.equals(from)) {
                throw MagicNumbers.notMessageCapable();
            }
            message = new SimMessage(account.sid, from, to, body == null ? "" : body, service, "outbound-api",
                    service != null ? "accepted" : "queued");
            message.statusCallback = form.get("StatusCallback", null);
            messages.put(message.sid, message);
        }
        flow.runMessage(message, account.authToken, conditions.faults(), conditions.timing());
        synchronized (message) {
            return message.toJson();
        }
    }

    JsonObject fetch(SimAccount account, String sid, String path) {
        var message = messages.get(sid);
        if (message == null || !message.accountSid.equals(account.sid)) {
            throw SimError.notFound(path);
        }
        synchronized (message) {
            return message.toJson();
        }
    }

    List<JsonObject> list(SimAccount account, Params query) {
        return messages.values().stream()
                .filter(m -> m.accountSid.equals(account.sid)
                        && (query.get("To") == null || query.get("To").equals(m.to))
                        && (query.get("From") == null || query.get("From").equals(m.from)))
                .sorted((a, b) -> b.created.compareTo(a.created))
                .map(m -> {
                    synchronized (m) {
                        return m.toJson();
                    }
                }).toList();
    }

    /** See {@link TwilioSimulator#deliverInboundSms}. */
    Uni<InboundDelivery> deliverInbound(String to, String from, String body) {
        SimMessage message;
        SimNumber number;
        SimAccount account;
        synchronized (accounts) {
            number = accounts.ownedNumber(to);
            account = accounts.get(number.accountSid);
            if (number.smsUrl.isBlank()) {
                throw new SimError(400, 21602, "The number " + to + " has no SmsUrl");
            }
            message = new SimMessage(account.sid, from, to, body, null, "inbound", "received");
            messages.put(message.sid, message);
        }
        return flow.inboundSms(message, number, account.authToken).map(answer -> {
            for (var reply : answer.replies()) {
                var outbound = new SimMessage(account.sid, reply.from() != null ? reply.from() : to,
                        reply.to() != null ? reply.to() : from, reply.body(), null, "outbound-reply", "queued");
                outbound.statusCallback = reply.statusCallback();
                messages.put(outbound.sid, outbound);
                flow.runMessage(outbound, account.authToken, conditions.faults(), conditions.timing());
            }
            return answer.delivery();
        });
    }

    /** Every message, oldest first. */
    List<SimulatedMessage> snapshots() {
        return messages.values().stream().map(SimMessage::snapshot)
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    Optional<SimulatedMessage> snapshot(String sid) {
        return Optional.ofNullable(messages.get(sid)).map(SimMessage::snapshot);
    }

    CompletionStage<SimulatedMessage> finished(String sid) {
        var message = messages.get(sid);
        if (message == null) {
            throw new IllegalArgumentException("no message " + sid);
        }
        return message.finished.minimalCompletionStage();
    }

    void clear() {
        messages.clear();
    }
}
