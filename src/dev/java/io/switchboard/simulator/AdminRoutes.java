package io.switchboard.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * {@code /sim/admin}: seeding, faults, inbound traffic and what happened, as JSON, for tools outside the JVM. No
 * authentication: the simulator exists only in dev and test builds.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class AdminRoutes {

    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);

    private final TwilioSimulator simulator;
    private final ObjectMapper mapper;

    AdminRoutes(TwilioSimulator simulator, ObjectMapper mapper) {
        this.simulator = simulator;
        this.mapper = mapper;
    }

    void register(Router router) {
        router.post("/admin/reset").handler(ctx -> reply(ctx, 204, null, body -> {
            simulator.reset();
            return null;
        }));
        router.post("/admin/accounts").handler(ctx -> reply(ctx, 201, ctx.body().asJsonObject(), body -> {
            String sid = body.getString("accountSid", Sids.next("AC"));
            String token = body.getString("authToken", UUID.randomUUID().toString().replace("-", ""));
            simulator.createAccount(sid, token);
            return Map.of("accountSid", sid, "authToken", token);
        }));
        router.post("/admin/accounts/:sid/auth-tokens/secondary").handler(ctx -> reply(ctx, 201,
                ctx.body().asJsonObject(), body -> {
                    String account = existing(ctx);
                    String token = body.getString("secondaryAuthToken", UUID.randomUUID().toString().replace("-", ""));
                    simulator.createSecondaryAuthToken(account, token);
                    return Map.of("accountSid", account, "secondaryAuthToken", token);
                }));
        router.delete("/admin/accounts/:sid/auth-tokens/secondary").handler(ctx -> reply(ctx, 204, null, body -> {
            if (!simulator.deleteSecondaryAuthToken(existing(ctx))) {
                throw SimError.notFound(ctx.request().path());
            }
            return null;
        }));
        router.post("/admin/accounts/:sid/auth-tokens/promote").handler(ctx -> reply(ctx, 200, null, body -> {
            String account = existing(ctx);
            return Map.of("accountSid", account, "authToken", simulator.promoteSecondaryAuthToken(account));
        }));
        // As when the customer changes the token in Twilio's console: the old one stops working at once.
        router.post("/admin/accounts/:sid/auth-token").handler(ctx -> reply(ctx, 200, ctx.body().asJsonObject(),
                body -> {
                    String token = body.getString("authToken", UUID.randomUUID().toString().replace("-", ""));
                    simulator.rotateAuthToken(ctx.pathParam("sid"), token);
                    return Map.of("accountSid", ctx.pathParam("sid"), "authToken", token);
                }));
        router.post("/admin/accounts/:sid/api-keys").handler(ctx -> reply(ctx, 201, ctx.body().asJsonObject(),
                body -> {
                    String keySid = body.getString("sid", Sids.next("SK"));
                    String secret = body.getString("secret", UUID.randomUUID().toString().replace("-", ""));
                    simulator.addApiKey(ctx.pathParam("sid"), keySid, secret);
                    return Map.of("sid", keySid, "secret", secret);
                }));
        router.post("/admin/accounts/:sid/numbers").handler(ctx -> reply(ctx, 201, ctx.body().asJsonObject(),
                body -> {
                    String account = ctx.pathParam("sid");
                    String phoneNumber = body.getString("phoneNumber");
                    simulator.addNumber(account, phoneNumber);
                    return simulator.number(account, phoneNumber).orElseThrow().getMap();
                }));
        router.put("/admin/accounts/:sid/calls-per-second").handler(ctx -> reply(ctx, 200,
                ctx.body().asJsonObject(), body -> {
                    int cps = body.getInteger("callsPerSecond", 0);
                    simulator.setCallsPerSecond(ctx.pathParam("sid"), cps);
                    return Map.of("accountSid", ctx.pathParam("sid"), "callsPerSecond", cps);
                }));
        router.get("/admin/requests").handler(ctx -> reply(ctx, 200, null, body -> simulator.requests()));
        router.get("/admin/requests/counts").handler(ctx -> reply(ctx, 200, null, body -> simulator.requestCounts()));
        router.get("/admin/calls").handler(ctx -> reply(ctx, 200, null, body -> simulator.calls()));
        router.get("/admin/calls/live").handler(ctx -> reply(ctx, 200, null, body -> simulator.liveCalls()));
        router.get("/admin/calls/:sid/legs").handler(ctx -> reply(ctx, 200, null,
                body -> simulator.dialLegs(ctx.pathParam("sid"))));
        router.post("/admin/calls/:sid/hangup").handler(ctx -> reply(ctx, 204, null, body -> {
            if (!simulator.hangUp(ctx.pathParam("sid"))) {
                throw SimError.notFound(ctx.request().path());
            }
            return null;
        }));
        router.post("/admin/calls/:sid/refer").handler(ctx -> {
            Uni<SimulatedRefer> outcome;
            try {
                var body = body(ctx.body().asJsonObject());
                var headers = new java.util.LinkedHashMap<String, String>();
                body.getJsonObject("headers", new JsonObject()).forEach(h -> headers.put(h.getKey(),
                        String.valueOf(h.getValue())));
                outcome = simulator.refer(ctx.pathParam("sid"), body.getString("referTo"), headers);
            } catch (RuntimeException e) {
                fail(ctx, e);
                return;
            }
            outcome.subscribe().with(result -> write(ctx, 200, result), failure -> fail(ctx, failure));
        });
        router.get("/admin/conferences").handler(ctx -> reply(ctx, 200, null,
                body -> simulator.liveConferences()));
        router.get("/admin/messages").handler(ctx -> reply(ctx, 200, null, body -> simulator.messages()));
        router.get("/admin/trunks").handler(ctx -> reply(ctx, 200, null,
                body -> simulator.trunks().stream().map(JsonObject::getMap).toList()));
        router.get("/admin/twiml").handler(ctx -> reply(ctx, 200, null, body -> simulator.twiml()));
        router.get("/admin/callbacks").handler(ctx -> reply(ctx, 200, null, body -> simulator.callbacks()));
        router.get("/admin/faults").handler(ctx -> reply(ctx, 200, null, body -> simulator.faults()));
        router.put("/admin/faults").handler(ctx -> reply(ctx, 200, ctx.body().asJsonObject(), body -> {
            simulator.setFaults(merge(simulator.faults(), body, Faults.class));
            return simulator.faults();
        }));
        router.get("/admin/timing").handler(ctx -> reply(ctx, 200, null, body -> simulator.timing()));
        router.put("/admin/timing").handler(ctx -> reply(ctx, 200, ctx.body().asJsonObject(), body -> {
            simulator.setTiming(merge(simulator.timing(), body, Timing.class));
            return simulator.timing();
        }));
        router.post("/admin/inbound/call").handler(ctx -> deliver(ctx, body -> simulator.deliverInboundCall(
                body.getString("to"), body.getString("from"))));
        router.post("/admin/inbound/sms").handler(ctx -> deliver(ctx, body -> simulator.deliverInboundSms(
                body.getString("to"), body.getString("from"), body.getString("body", ""))));
    }

    /** The account the path names; 404 when the simulator has none. */
    private String existing(RoutingContext ctx) {
        String sid = ctx.pathParam("sid");
        if (!simulator.hasAccount(sid)) {
            throw SimError.notFound(ctx.request().path());
        }
        return sid;
    }

    /** A partial update of a record: the fields given replace those of {@code current}. */
    private <T> T merge(T current, JsonObject changes, Class<T> type) {
        ObjectNode tree = mapper.valueToTree(current);
        try {
            tree.setAll((ObjectNode) mapper.readTree(changes.encode()));
            return mapper.treeToValue(tree, type);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void deliver(RoutingContext ctx, Function<JsonObject, Uni<InboundDelivery>> delivery) {
        Uni<InboundDelivery> answer;
        try {
            answer = delivery.apply(body(ctx.body().asJsonObject()));
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        answer.subscribe().with(result -> write(ctx, 200, result), failure -> fail(ctx, failure));
    }

    private void reply(RoutingContext ctx, int status, JsonObject body, Function<JsonObject, Object> action) {
        try {
            write(ctx, status, action.apply(body(body)));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private void write(RoutingContext ctx, int status, Object value) {
        try {
            ctx.response().setStatusCode(status);
            if (value == null) {
                ctx.response().end();
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(mapper.writeValueAsString(value));
            }
        } catch (Exception e) {
            fail(ctx, e);
        }
    }

    private void fail(RoutingContext ctx, Throwable failure) {
        if (failure instanceof SimError error) {
            ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
                    .end(error.toJson().encode());
        } else if (failure instanceof IllegalStateException) {
            // What exists refuses the request: an account created twice, a promotion without a secondary token.
            ctx.response().setStatusCode(409).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", String.valueOf(failure.getMessage())).encode());
        } else if (failure instanceof IllegalArgumentException || failure instanceof ClassCastException) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", String.valueOf(failure.getMessage())).encode());
        } else {
            LOG.error("simulator admin request failed", failure);
            ctx.response().setStatusCode(500).end();
        }
    }

    private static JsonObject body(JsonObject body) {
        return body == null ? new JsonObject() : body;
    }
}
