package io.switchboard.simulator;

import io.quarkus.arc.All;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.switchboard.simulator.TwilioResource.Exchange;
import io.switchboard.simulator.TwilioResource.Operation;
import io.switchboard.simulator.TwilioResource.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
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
 * {@code /sim/lookups} (Lookups v2), each resource's routes from its {@link TwilioResource}, and {@code /sim/admin}.
 * Those are US1; every region also has its own, {@code /sim/<region>/api} and so on ({@link SimRegion}), where only
 * that region's credentials authenticate and only the products it runs are served. Every handler works in memory and
 * answers on the event loop; delays are Vert.x timers.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class SimulatorRouter {

    private static final Logger LOG = Logger.getLogger(SimulatorRouter.class);

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final Accounts accounts;
    private final Conditions conditions;
    private final SimulatorLog log;
    private final List<TwilioResource> resources;
    private final AdminRoutes admin;
    private volatile HttpServer ownServer;

    SimulatorRouter(Vertx vertx, SimulatorConfig config, Accounts accounts, Conditions conditions, SimulatorLog log,
            @All List<TwilioResource> resources, AdminRoutes admin) {
        this.vertx = vertx;
        this.config = config;
        this.accounts = accounts;
        this.conditions = conditions;
        this.log = log;
        this.resources = resources;
        this.admin = admin;
    }

    void mount(@Observes Router router) {
        // Ahead of the service's own handlers on its router, which the simulator's requests pass through first.
        router.route("/sim/*").order(Integer.MIN_VALUE).handler(SimulatorRouter::stampArrival);
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

    private Router build() {
        var router = Router.router(vertx);
        router.route().handler(SimulatorRouter::stampArrival);
        router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        on(router, HttpMethod.GET, "api", TwilioResource.ACCOUNT + ".json", x -> Reply.ok(x.account().toJson()));
        resources.forEach(resource -> resource
                .register((method, product, route, operation) -> on(router, method, product, route, operation)));
        admin.register(router);
        return router;
    }

    /**
     * Registers a Twilio REST route in every region: authentication, faults, the request log and Twilio's error
     * shape.
     */
    private void on(Router router, HttpMethod method, String product, String route, Operation operation) {
        String path = "/" + product + route.replaceAll("\\{(\\w+)}", ":$1");
        router.route(method, path).handler(ctx -> handle(ctx, SimRegion.US1, product, route, operation));
        for (var region : SimRegion.values()) {
            router.route(method, "/" + region.id() + path)
                    .handler(ctx -> handle(ctx, region, product, route, operation));
        }
    }

    private void handle(RoutingContext ctx, SimRegion region, String product, String route, Operation operation) {
        var form = Params.of(toMap(ctx.request().formAttributes()));
        var query = Params.of(toMap(ctx.queryParams()));
        var served = region.serves(product, route);
        var account = served ? authenticate(ctx, region) : null;
        // Recorded when the outcome is known, before any delay, so a test sees a create whose answer is held back.
        Consumer<Reply> respond = reply -> {
            log.requests.add(new Recorded.Request(Instant.now(), ctx.request().method().name(), ctx.request().path(),
                    route, account == null ? null : account.sid,
                    ctx.request().method() == HttpMethod.GET ? query.values() : form.values(), reply.status(),
                    region.id()));
            // The ambiguous create: the resource exists, but the answer comes late or, past the client's timeout,
            // never reaches it.
            Duration delay = reply.status() == 201 ? conditions.faults().createResponseDelay() : Duration.ZERO;
            Duration held = conditions.drawRouteDelay(ctx.request().method().name(), route);
            later(held.compareTo(delay) > 0 ? held : delay, () -> send(ctx, reply));
        };
        later(conditions.latency(account == null ? null : account.sid), () -> {
            if (!served) {
                respond.accept(Reply.error(SimError.notFound(ctx.request().path())));
                return;
            }
            var scoped = conditions.scopedFailure(region, account == null ? null : account.sid);
            if (scoped.isPresent()) {
                respond.accept(Reply.error(scoped.get()));
                return;
            }
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
            var injected = conditions.drawRouteFailure(ctx.request().method().name(), route);
            if (injected.isPresent()) {
                respond.accept(Reply.error(injected.get()));
                return;
            }
            if (conditions.drawServerError()) {
                respond.accept(Reply.error(new SimError(500, 20500, "An internal server error has occurred")));
                return;
            }
            try {
                String base = origin(ctx) + "/sim/" + (ctx.request().path().startsWith("/sim/" + region.id() + "/")
                        ? region.id() + "/"
                        : "") + product;
                respond.accept(operation.apply(new Exchange(ctx, account, form, query, base, region)));
            } catch (SimError e) {
                respond.accept(Reply.error(e));
            } catch (RuntimeException e) {
                LOG.errorf(e, "simulator failed on %s %s", ctx.request().method(), ctx.request().path());
                respond.accept(Reply.error(new SimError(500, 20500, "An internal server error has occurred")));
            }
        });
    }

    /**
     * Records when the request arrived, before its body is read: it is the API requests over the account's CPS that
     * Twilio queues (https://help.twilio.com/articles/223180028), so a create counts from when it reached Twilio, and
     * what the simulator does before it handles the create must not move it later.
     */
    private static void stampArrival(RoutingContext ctx) {
        if (ctx.get(TwilioResource.Arrival.KEY) == null) {
            ctx.put(TwilioResource.Arrival.KEY, TwilioResource.Arrival.now());
        }
        ctx.next();
    }

    private SimAccount authenticate(RoutingContext ctx, SimRegion region) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null
                    : accounts.authenticate(region, decoded.substring(0, colon), decoded.substring(colon + 1));
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
