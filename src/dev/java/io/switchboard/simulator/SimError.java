package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;

/** A refusal in Twilio's error shape; thrown by the simulator's operations and rendered by the routes. */
final class SimError extends RuntimeException {

    private final int status;
    private final int code;

    SimError(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static SimError notFound(String path) {
        return new SimError(404, 20404, "The requested resource " + path + " was not found");
    }

    static SimError missing(String parameter) {
        return new SimError(400, 20001, "Missing required parameter " + parameter + " in the post body");
    }

    static SimError unauthenticated() {
        return new SimError(401, 20003, "Authenticate");
    }

    int status() {
        return status;
    }

    int code() {
        return code;
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("code", code)
                .put("message", getMessage())
                .put("more_info", "https://www.twilio.com/docs/errors/" + code)
                .put("status", status);
    }
}
