package io.switchboard.event;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A local HTTP receiver of events for tests: records every request and answers what its behaviour says. */
final class Receiver implements AutoCloseable {

    /** One request as received, and the status it was answered with. */
    record Received(Map<String, List<String>> headers, String body, Instant at, int status) {

        JsonObject json() {
            return new JsonObject(body);
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<JsonObject, Integer> behaviour = event -> 204;

    Receiver(Vertx vertx) throws Exception {
        this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
            var headers = new LinkedHashMap<String, List<String>>();
            request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(), k -> new ArrayList<>())
                    .add(h.getValue()));
            String body = buffer.toString();
            int status;
            try {
                status = behaviour.apply(new JsonObject(body));
            } catch (RuntimeException e) {
                status = 500;
            }
            received.add(new Received(headers, body, Instant.now(), status));
            request.response().setStatusCode(status).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    int port() {
        return server.actualPort();
    }

    void answer(Function<JsonObject, Integer> behaviour) {
        this.behaviour = behaviour;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests answered 2xx. */
    List<Received> delivered() {
        return received.stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
