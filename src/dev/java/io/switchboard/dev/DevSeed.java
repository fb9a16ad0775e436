package io.switchboard.dev;

import io.smallrye.mutiny.Uni;
import io.switchboard.tenant.OrganizationService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Seeds a dev organization with a fixed API key, a provider on a simulated account, an agent, and one of the account's
 * numbers imported and assigned to it, so that the first curl against dev mode works at once. Idempotent: what exists
 * already (a kept dev database) is found and left alone. Apart from the organization and its fixed key, which no API
 * can create, everything goes through the service's own API as a client's requests would.
 */
@ApplicationScoped
public class DevSeed {

    static final String ORGANIZATION_NAME = "Dev organization";
    static final String PROVIDER_NAME = "Dev provider (simulator)";
    static final String AGENT_NAME = "Dev agent";
    static final String AGENT_URL = "wss://agent.example.com/media";
    /** Each request to the service; the whole seeding is a handful of them. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What to seed: the organization and its key, and the simulated account and number. */
    public record Spec(UUID organizationId, String apiKey, String accountSid, String authToken, String number) {
    }

    /** What was seeded (or found): the ids the first requests need, and whether anything was created now. */
    public record Seeded(UUID organizationId, String apiKey, String providerId, String agentId, String numberId,
            String number, boolean created) {

        Seeded withCreated(boolean value) {
            return new Seeded(organizationId, apiKey, providerId, agentId, numberId, number, value);
        }
    }

    private final OrganizationService organizations;
    private final DevSeedConfig config;
    private final WebClient client;

    public DevSeed(OrganizationService organizations, DevSeedConfig config, Vertx vertx) {
        this.organizations = organizations;
        this.config = config;
        URI api = URI.create(config.apiUrl());
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(api.getHost())
                .setDefaultPort(api.getPort()).setConnectTimeout(5_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** The dev mode's own seed, from {@code switchboard.dev.seed.*}. */
    public Spec configured() {
        return new Spec(config.organizationId(), config.apiKey(), config.accountSid(), config.authToken(),
                config.number());
    }

    /** Needs a Vert.x context on which Hibernate Reactive may open a session (a duplicated one, marked safe). */
    public Uni<Seeded> seed(Spec spec) {
        return organizations.createIfAbsent(spec.organizationId(), ORGANIZATION_NAME, spec.apiKey())
                .chain(createdOrg -> provider(spec).chain(provider -> agent(spec).chain(agent -> number(spec,
                        provider.id(), agent.id()).map(
                                number -> new Seeded(spec.organizationId(), spec.apiKey(),
                                        provider.id(), agent.id(), number.id(), spec.number(),
                                        createdOrg || provider.created() || agent.created() || number.created())))));
    }

    private record Found(String id, boolean created) {
    }

    private Uni<Found> provider(Spec spec) {
        return findFirst(spec, "/v1/providers", p -> spec.accountSid().equals(p.getString("accountSid")))
                .chain(found -> found.isPresent() ? existing(found.get())
                        : create(spec, "/v1/providers", Map.of("type", "twilio", "name", PROVIDER_NAME,
                                "accountSid", spec.accountSid(), "authToken", spec.authToken(),
                                // Transfers on, so that the README's transfer walkthrough runs on it.
                                "enableTransfers", true)));
    }

    private Uni<Found> agent(Spec spec) {
        return findFirst(spec, "/v1/agents", a -> AGENT_NAME.equals(a.getString("name")))
                .chain(found -> found.isPresent() ? existing(found.get())
                        : create(spec, "/v1/agents", Map.of("name", AGENT_NAME, "routing",
                                Map.of("type", "stream", "url", AGENT_URL))));
    }

    /** Imported and assigned to the agent; an imported number assigned elsewhere, or to none, is assigned again. */
    private Uni<Found> number(Spec spec, String providerId, String agentId) {
        return findFirst(spec, "/v1/phone-numbers", n -> spec.number().equals(n.getString("number")))
                .chain(found -> {
                    if (found.isEmpty()) {
                        return create(spec, "/v1/phone-numbers", Map.of("number", spec.number(), "providerId",
                                providerId, "agentId", agentId, "label", "Dev number"));
                    }
                    if (agentId.equals(found.get().getString("agentId"))) {
                        return existing(found.get());
                    }
                    return send(spec, "PATCH", "/v1/phone-numbers/" + found.get().getString("id"),
                            new JsonObject(Map.of("agentId", agentId)), 200)
                            .map(patched -> new Found(patched.getString("id"), true));
                });
    }

    private static Uni<Found> existing(JsonObject item) {
        return Uni.createFrom().item(new Found(item.getString("id"), false));
    }

    private Uni<Found> create(Spec spec, String path, Map<String, Object> body) {
        return send(spec, "POST", path, new JsonObject(body), 201).map(made -> new Found(made.getString("id"), true));
    }

    /** The dev organization has a handful of each, all on the first page. */
    private Uni<Optional<JsonObject>> findFirst(Spec spec, String path,
            java.util.function.Predicate<JsonObject> match) {
        return send(spec, "GET", path + "?limit=100", null, 200).map(page -> {
            JsonArray items = page.getJsonArray("items");
            return items.stream().map(JsonObject.class::cast).filter(match).findFirst();
        });
    }

    private Uni<JsonObject> send(Spec spec, String method, String path, JsonObject body, int expected) {
        var request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), path)
                .bearerTokenAuthentication(spec.apiKey()).timeout(REQUEST_TIMEOUT.toMillis());
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
        return sent
                // At start the seeding may run a moment before the HTTP server accepts connections.
                .onFailure(ConnectException.class).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .atMost(30)
                .map(response -> {
                    if (response.statusCode() != expected) {
                        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                                + ": " + response.bodyAsString());
                    }
                    return response.bodyAsJsonObject();
                });
    }
}
