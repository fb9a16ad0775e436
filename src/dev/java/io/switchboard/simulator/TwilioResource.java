package io.switchboard.simulator;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * One of Twilio's REST resources as the simulator serves it: the routes it adds and the in-memory operations behind
 * them. {@link SimulatorRouter} wraps every operation in authentication, faults, the request log and Twilio's error
 * shape, so an operation only reads its request and answers, or throws a {@link SimError}.
 */
interface TwilioResource {

    /** The 2010 API's account path, which every resource of that API sits under. */
    String ACCOUNT = "/2010-04-01/Accounts/{AccountSid}";

    void register(Routes routes);

    /** Where a resource adds its operations. */
    @FunctionalInterface
    interface Routes {

        /**
         * {@code product} is the simulator's base ({@code api}, {@code trunking}, {@code lookups}); {@code route} the
         * product's path with {@code {Name}} parameters, as the request log records it.
         */
        void on(HttpMethod method, String product, String route, Operation operation);
    }

    @FunctionalInterface
    interface Operation {
        Reply apply(Exchange exchange);
    }

    /**
     * One authenticated REST request; {@code base} is the product's absolute URL, for the v1 APIs' links;
     * {@code region} the region it was sent to.
     */
    record Exchange(RoutingContext ctx, SimAccount account, Params form, Params query, String base,
            SimRegion region) {

        String path(String name) {
            return ctx.pathParam(name);
        }

        String requestPath() {
            return ctx.request().path();
        }

        /** When the request reached the simulator, before its body was read or any fault delayed it. */
        Arrival arrival() {
            Arrival arrival = ctx.get(Arrival.KEY);
            return arrival != null ? arrival : Arrival.now();
        }
    }

    /**
     * When a request reached the simulator, as Twilio's edge sees it: on the monotonic clock (to count an account's
     * calls per second) and the wall clock (the resource's {@code date_created}).
     */
    record Arrival(long nanos, Instant at) {

        /** Where {@link SimulatorRouter} keeps it on the routing context. */
        static final String KEY = "simulator.arrival";

        static Arrival now() {
            return new Arrival(System.nanoTime(), Instant.now());
        }
    }

    /** The answer of one operation. */
    record Reply(int status, JsonObject body) {

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
}
