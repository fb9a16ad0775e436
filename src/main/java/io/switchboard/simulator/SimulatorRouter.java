package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Serves the simulator under {@code /sim}: {@code /sim/api} (2010 API), {@code /sim/trunking} (Trunking v1),
 * {@code /sim/lookups} (Lookups v2) and {@code /sim/admin}. Every handler works in memory and answers on the event
 * loop; delays are Vert.x timers.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@ApplicationScoped
class SimulatorRouter {

    private static final Logger LOG = Logger.getLogger(SimulatorRouter.class);
    private static final String ACCOUNT = "/2010-04-01/Accounts/{AccountSid}";

    private final Vertx vertx;
    private final TwilioSimulator simulator;
    private final AdminRoutes admin;
    private final SimulatorConfig config;
    private volatile HttpServer ownServer;

    SimulatorRouter(Vertx vertx, TwilioSimulator simulator, AdminRoutes admin, SimulatorConfig config) {
        this.vertx = vertx;
        this.simulator = simulator;
        this.admin = admin;
        this.config = config;
    }

    void mount(@Observes Router router) {
        router.route("/sim/*").subRouter(build());
        config.port().ifPresent(port -> {
            var root = Router.router(vertx);
            root.route("/sim/*").subRouter(build());
            vertx.createHttpServer().requestHandler(root).listen(port)
                    .onSuccess(server -> {
                        ownServer = server;
                        LOG.infof("Twilio simulator also listening on port %d", server.actualPort());
                    })
                    .onFailure(failure -> LOG.errorf(failure, "Twilio simulator could not listen on port %d", port));
        });
    }

    /** The port of the simulator's own server, when {@code switchboard.simulator.port} asked for one. */
    OptionalInt ownPort() {
        var server = ownServer;
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        var server = ownServer;
        if (server != null) {
            server.close();
        }
    }

    /** The response of one operation. */
    private record Reply(int status, JsonObject body) {

        static Reply ok(JsonObject body) {
            return new Reply(200, body);
        }

        static Reply created(JsonObject body) {
            return new Reply(201, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }

        static Reply error(SimError error) {
            return new Reply(error.status(), error.toJson());
        }
    }

    /** One authenticated REST request. */
    private record Exchange(RoutingContext ctx, SimAccount account, Params form, Params query, String base) {

        String path(String name) {
            return ctx.pathParam(name);
        }

        String requestPath() {
            return ctx.request().path();
        }
    }

    @FunctionalInterface
    private interface Operation {
        Reply apply(Exchange exchange);
    }

    private Router build() {
        var router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        api(router);
        trunking(router);
        lookups(router);
        admin.register(router);
        return router;
    }

    private void api(Router router) {
        on(router, HttpMethod.GET, "api", ACCOUNT + ".json", x -> Reply.ok(x.account().toJson()));
        String numbers = ACCOUNT + "/IncomingPhoneNumbers";
        on(router, HttpMethod.GET, "api", numbers + ".json", x -> Reply.ok(Pages.page2010("incoming_phone_numbers",
                simulator.listNumbers(x.account(), x.query().get("PhoneNumber")),
                x.account().uri("/IncomingPhoneNumbers.json"), x.query(), List.of("PhoneNumber"))));
        on(router, HttpMethod.GET, "api", numbers + "/{Sid}.json",
                x -> Reply.ok(simulator.fetchNumber(x.account(), x.path("Sid"), x.requestPath())));
        on(router, HttpMethod.POST, "api", numbers + "/{Sid}.json",
                x -> Reply.ok(simulator.updateNumber(x.account(), x.path("Sid"), x.form(), x.requestPath())));

        String lists = ACCOUNT + "/SIP/CredentialLists";
        on(router, HttpMethod.POST, "api", lists + ".json",
                x -> Reply.created(simulator.createCredentialList(x.account(), x.form())));
        on(router, HttpMethod.GET, "api", lists + ".json", x -> Reply.ok(Pages.page2010("credential_lists",
                simulator.listCredentialLists(x.account()), x.account().uri("/SIP/CredentialLists.json"), x.query(),
                List.of())));
        on(router, HttpMethod.GET, "api", lists + "/{Sid}.json",
                x -> Reply.ok(simulator.fetchCredentialList(x.account(), x.path("Sid"), x.requestPath())));
        on(router, HttpMethod.DELETE, "api", lists + "/{Sid}.json", x -> {
            simulator.deleteCredentialList(x.account(), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });
        on(router, HttpMethod.POST, "api", lists + "/{CredentialListSid}/Credentials.json",
                x -> Reply.created(simulator.createCredential(x.account(), x.path("CredentialListSid"), x.form(),
                        x.requestPath())));
        on(router, HttpMethod.GET, "api", lists + "/{CredentialListSid}/Credentials.json",
                x -> Reply.ok(Pages.page2010("credentials", simulator.listCredentials(x.account(),
                        x.path("CredentialListSid"), x.requestPath()), x.account().uri("/SIP/CredentialLists/"
                        + x.path("CredentialListSid") + "/Credentials.json"), x.query(), List.of())));

        on(router, HttpMethod.POST, "api", ACCOUNT + "/Calls.json",
                x -> Reply.created(simulator.createCall(x.account(), x.form())));
        on(router, HttpMethod.GET, "api", ACCOUNT + "/Calls.json", x -> Reply.ok(Pages.page2010("calls",
                simulator.listCalls(x.account(), x.query()), x.account().uri("/Calls.json"), x.query(),
                List.of("To", "From", "Status"))));
        on(router, HttpMethod.GET, "api", ACCOUNT + "/Calls/{Sid}.json",
                x -> Reply.ok(simulator.fetchCall(x.account(), x.path("Sid"), x.requestPath())));
        on(router, HttpMethod.POST, "api", ACCOUNT + "/Calls/{Sid}.json",
                x -> Reply.ok(simulator.updateCall(x.account(), x.path("Sid"), x.form(), x.requestPath())));

        on(router, HttpMethod.POST, "api", ACCOUNT + "/Messages.json",
                x -> Reply.created(simulator.createMessage(x.account(), x.form())));
        on(router, HttpMethod.GET, "api", ACCOUNT + "/Messages.json", x -> Reply.ok(Pages.page2010("messages",
                simulator.listMessages(x.account(), x.query()), x.account().uri("/Messages.json"), x.query(),
                List.of("To", "From"))));
        on(router, HttpMethod.GET, "api", ACCOUNT + "/Messages/{Sid}.json",
                x -> Reply.ok(simulator.fetchMessage(x.account(), x.path("Sid"), x.requestPath())));
    }

    private void trunking(Router router) {
        on(router, HttpMethod.POST, "trunking", "/v1/Trunks",
                x -> Reply.created(simulator.createTrunk(x.account(), x.form(), x.base())));
        on(router, HttpMethod.GET, "trunking", "/v1/Trunks", x -> Reply.ok(Pages.pageV1("trunks",
                simulator.listTrunks(x.account(), x.base()), x.base() + "/v1/Trunks", x.query())));
        on(router, HttpMethod.GET, "trunking", "/v1/Trunks/{Sid}",
                x -> Reply.ok(simulator.fetchTrunk(x.account(), x.path("Sid"), x.requestPath(), x.base())));
        on(router, HttpMethod.DELETE, "trunking", "/v1/Trunks/{Sid}", x -> {
            simulator.deleteTrunk(x.account(), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });

        String lists = "/v1/Trunks/{TrunkSid}/CredentialLists";
        on(router, HttpMethod.POST, "trunking", lists, x -> Reply.created(simulator.attachCredentialList(
                x.account(), x.path("TrunkSid"), x.form(), x.requestPath(), x.base())));
        on(router, HttpMethod.GET, "trunking", lists, x -> Reply.ok(Pages.pageV1("credential_lists",
                simulator.listTrunkCredentialLists(x.account(), x.path("TrunkSid"), x.requestPath(), x.base()),
                x.base() + "/v1/Trunks/" + x.path("TrunkSid") + "/CredentialLists", x.query())));
        on(router, HttpMethod.GET, "trunking", lists + "/{Sid}", x -> Reply.ok(simulator.fetchTrunkCredentialList(
                x.account(), x.path("TrunkSid"), x.path("Sid"), x.requestPath(), x.base())));
        on(router, HttpMethod.DELETE, "trunking", lists + "/{Sid}", x -> {
            simulator.detachCredentialList(x.account(), x.path("TrunkSid"), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });

        String origination = "/v1/Trunks/{TrunkSid}/OriginationUrls";
        on(router, HttpMethod.POST, "trunking", origination, x -> Reply.created(simulator.createOriginationUrl(
                x.account(), x.path("TrunkSid"), x.form(), x.requestPath(), x.base())));
        on(router, HttpMethod.GET, "trunking", origination, x -> Reply.ok(Pages.pageV1("origination_urls",
                simulator.listOriginationUrls(x.account(), x.path("TrunkSid"), x.requestPath(), x.base()),
                x.base() + "/v1/Trunks/" + x.path("TrunkSid") + "/OriginationUrls", x.query())));
        on(router, HttpMethod.DELETE, "trunking", origination + "/{Sid}", x -> {
            simulator.deleteOriginationUrl(x.account(), x.path("TrunkSid"), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });
    }

    private void lookups(Router router) {
        on(router, HttpMethod.GET, "lookups", "/v2/PhoneNumbers/{PhoneNumber}", x -> Reply.ok(simulator.lookup(
                x.path("PhoneNumber"), x.query().get("CountryCode"), x.base())));
    }

    /** Registers a Twilio REST route: authentication, faults, the request log and Twilio's error shape. */
    private void on(Router router, HttpMethod method, String product, String route, Operation operation) {
        String path = "/" + product + route.replaceAll("\\{(\\w+)}", ":$1");
        router.route(method, path).handler(ctx -> handle(ctx, product, route, operation));
    }

    private void handle(RoutingContext ctx, String product, String route, Operation operation) {
        var form = Params.of(toMap(ctx.request().formAttributes()));
        var query = Params.of(toMap(ctx.queryParams()));
        var account = authenticate(ctx);
        // Recorded when the outcome is known, before any delay, so a test sees a create whose answer is held back.
        Consumer<Reply> respond = reply -> {
            simulator.record(new Recorded.Request(Instant.now(), ctx.request().method().name(), ctx.request().path(),
                    route, account == null ? null : account.sid,
                    ctx.request().method() == HttpMethod.GET ? query.values() : form.values(), reply.status()));
            // The ambiguous create: the resource exists, but the answer comes late or, past the client's timeout,
            // never reaches it.
            Duration delay = reply.status() == 201 ? simulator.faults().createResponseDelay() : Duration.ZERO;
            later(delay, () -> send(ctx, reply));
        };
        later(simulator.faults().latency(), () -> {
            if (account == null) {
                ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
                respond.accept(Reply.error(SimError.unauthenticated()));
                return;
            }
            String urlAccount = ctx.pathParam("AccountSid");
            if (urlAccount != null && !urlAccount.equals(account.sid)) {
                respond.accept(Reply.error(SimError.notFound(ctx.request().path())));
                return;
            }
            var injected = simulator.drawRouteFailure(ctx.request().method().name(), route);
            if (injected.isPresent()) {
                respond.accept(Reply.error(injected.get()));
                return;
            }
            if (simulator.drawServerError()) {
                respond.accept(Reply.error(new SimError(500, 20500, "An internal server error has occurred")));
                return;
            }
            try {
                String base = origin(ctx) + "/sim/" + product;
                respond.accept(operation.apply(new Exchange(ctx, account, form, query, base)));
            } catch (SimError e) {
                respond.accept(Reply.error(e));
            } catch (RuntimeException e) {
                LOG.errorf(e, "simulator failed on %s %s", ctx.request().method(), ctx.request().path());
                respond.accept(Reply.error(new SimError(500, 20500, "An internal server error has occurred")));
            }
        });
    }

    private SimAccount authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null
                    : simulator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void later(Duration delay, Runnable action) {
        if (delay == null || delay.isZero() || delay.isNegative()) {
            action.run();
        } else {
            vertx.setTimer(delay.toMillis(), id -> action.run());
        }
    }

    private static void send(RoutingContext ctx, Reply reply) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(reply.status());
        if (reply.body() == null) {
            ctx.response().end();
        } else {
            ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(reply.body().encode());
        }
    }

    static String origin(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host == null ? "localhost" : host);
    }

    private static Map<String, List<String>> toMap(io.vertx.core.MultiMap multiMap) {
        var map = new LinkedHashMap<String, List<String>>();
        for (var entry : multiMap) {
            map.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
        }
        return map;
    }
}
