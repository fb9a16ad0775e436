package io.switchboard.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/messages}: the organization's messages sent and received, filtered, in either order, paged. */
@QuarkusTest
class MessageListTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Pool pool;

    @Test
    void sentAndReceivedMessagesAreListedNewestFirstWithTheirDirection() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the number to be routed");
        String customer = SimAccount.randomNumber();
        String recipient = SimAccount.randomNumber();

        String sentId = Api.as(c.org()).body(Map.of("to", recipient, "body", "Your table is ready"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");
        assertThat(Api.as(c.org()).get("/v1/messages/" + sentId).then().statusCode(200).extract()
                .<String>path("direction")).isEqualTo("outbound");
        String receivedSid = simulator.deliverInboundSms(c.number(0), customer, "Thanks")
                .await().atMost(Duration.ofSeconds(10)).sid();
        String receivedId = Api.as(c.org()).queryParam("direction", "inbound").get("/v1/messages")
                .then().statusCode(200).extract().path("items[0].id");
        var received = Api.as(c.org()).get("/v1/messages/" + receivedId).then().statusCode(200).extract().jsonPath();
        assertThat(received.getString("direction")).isEqualTo("inbound");
        assertThat(received.getString("sid")).isEqualTo(receivedSid);
        assertThat(received.getString("from")).isEqualTo(customer);

        assertThat(ids(c.org(), Map.of())).containsExactly(receivedId, sentId);
        assertThat(ids(c.org(), Map.of("order", "asc"))).containsExactly(sentId, receivedId);
        assertThat(list(c.org(), Map.of()).getList("items.direction")).containsExactly("inbound", "outbound");
        assertThat(ids(c.org(), Map.of("direction", "outbound"))).containsExactly(sentId);
        assertThat(ids(c.org(), Map.of("direction", "inbound"))).containsExactly(receivedId);
        // Either party: the organization's number sent one and received the other.
        assertThat(ids(c.org(), Map.of("number", c.number(0)))).containsExactly(receivedId, sentId);
        assertThat(ids(c.org(), Map.of("number", customer))).containsExactly(receivedId);
        assertThat(ids(c.org(), Map.of("number", recipient))).containsExactly(sentId);
        assertThat(ids(c.org(), Map.of("status", "received"))).containsExactly(receivedId);
        assertThat(ids(c.org(), Map.of("number", customer, "direction", "outbound"))).isEmpty();

        // Another organization sees none of them, whatever it asks.
        var stranger = Api.newOrganization();
        assertThat(ids(stranger, Map.of())).isEmpty();
        assertThat(ids(stranger, Map.of("number", c.number(0)))).isEmpty();
    }

    /**
     * Nine messages, five of them at the same instant: pages of two, newest first and oldest first, give each row once
     * and in (createdAt, id) order, which only the id can decide among the five.
     */
    @Test
    void pagingInEitherOrderNeitherSkipsNorRepeatsRowsThatShareATimestamp() {
        var org = Api.newOrganization();
        var t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var rows = new ArrayList<Row>();
        for (var at : List.of(t.minusSeconds(1), t, t, t, t, t, t.plusSeconds(1), t.minusSeconds(1),
                t.plusSeconds(1))) {
            rows.add(insert(org, at, "inbound", "received"));
        }
        var oldestFirst = rows.stream().sorted(Comparator.comparing(Row::createdAt)
                // PostgreSQL orders uuids as unsigned bytes, which is their text's order (UUID.compareTo is signed).
                .thenComparing(r -> r.id().toString()))
                .map(r -> r.id().toString()).toList();
        var newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);

        assertThat(pages(org, null)).containsExactlyElementsOf(newestFirst);
        assertThat(pages(org, "desc")).containsExactlyElementsOf(newestFirst);
        assertThat(pages(org, "asc")).containsExactlyElementsOf(oldestFirst);

        // A cursor goes on in its own order; asked the other way from the same position, it is refused.
        String cursor = list(org, Map.of("limit", "2")).getString("nextCursor");
        assertInvalid(Api.as(org).queryParam("cursor", cursor).queryParam("order", "asc").get("/v1/messages")
                .then().statusCode(400).extract().jsonPath(), "order");
        assertThat(Api.as(org).queryParam("cursor", cursor).queryParam("limit", 2).get("/v1/messages").then()
                .statusCode(200).extract().jsonPath().getList("items.id")).containsExactlyElementsOf(
                        newestFirst.subList(2, 4));

        // A time range is from after (inclusive) to before (exclusive).
        assertThat(ids(org, Map.of("after", t.toString(), "order", "asc")))
                .containsExactlyElementsOf(oldestFirst.subList(2, 9));
        assertThat(ids(org, Map.of("before", t.toString(), "order", "asc")))
                .containsExactlyElementsOf(oldestFirst.subList(0, 2));
        assertThat(ids(org, Map.of("after", t.atOffset(ZoneOffset.ofHours(2)).toString(), "before",
                t.plusSeconds(1).toString(), "order", "asc"))).containsExactlyElementsOf(oldestFirst.subList(2, 7));
    }

    @Test
    void aBadFilterIsA400NamingIt() {
        var org = Api.newOrganization();
        for (var bad : List.of(Map.of("direction", "sideways"), Map.of("number", "4155550100"),
                Map.of("status", "lost"), Map.of("after", "yesterday"), Map.of("before", "2024-13-01T00:00:00Z"),
                Map.of("after", "+294277-01-01T00:00:00Z"), Map.of("order", "newest"), Map.of("limit", "0"),
                Map.of("cursor", "garbage"), Map.of("stauts", "failed"))) {
            var answer = Api.as(org).queryParams(bad).get("/v1/messages").then().statusCode(400).extract().jsonPath();
            assertInvalid(answer, bad.keySet().iterator().next());
        }
        assertInvalid(Api.as(org).queryParam("after", "2024-05-02T00:00:00Z").queryParam("before",
                "2024-05-01T00:00:00Z").get("/v1/messages").then().statusCode(400).extract().jsonPath(), "before");
    }

    private record Row(UUID id, Instant createdAt) {
    }

    private Row insert(Api.Org org, Instant at, String direction, String status) {
        var id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into message (id, organization_id, direction, from_number, to_number, body, status, created_at,
                                     updated_at)
                values ($1, $2, $3, $4, $5, 'hi', $6, $7, $7)""")
                .execute(Tuple.from(List.of(id, UUID.fromString(org.id()), direction, SimAccount.randomNumber(),
                        SimAccount.randomNumber(), status, at.atOffset(ZoneOffset.UTC))))
                .await().atMost(Duration.ofSeconds(10));
        return new Row(id, at);
    }

    /** Every id, read two at a time by following nextCursor. */
    private static List<String> pages(Api.Org org, String order) {
        var ids = new ArrayList<String>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            var query = new HashMap<String, Object>(Map.of("limit", 2));
            if (order != null && cursor == null) {
                query.put("order", order);
            }
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            var answer = Api.as(org).queryParams(query).get("/v1/messages").then().statusCode(200).extract()
                    .jsonPath();
            ids.addAll(answer.getList("items.id"));
            cursor = answer.getString("nextCursor");
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("more pages than rows");
    }

    private static JsonPath list(Api.Org org, Map<String, ?> query) {
        return Api.as(org).queryParams(query).get("/v1/messages").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> ids(Api.Org org, Map<String, ?> query) {
        return list(org, query).getList("items.id");
    }

    private static void assertInvalid(JsonPath answer, String field) {
        assertThat(answer.getString("error")).isEqualTo("invalid_request");
        assertThat(answer.getList("details.field")).as(answer.prettify()).containsExactly(field);
    }
}
