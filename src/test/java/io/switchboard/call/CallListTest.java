package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.support.Api;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/calls}: newest first unless asked otherwise, paged by cursor in either order. */
@QuarkusTest
class CallListTest {

    @Inject
    Pool pool;

    /**
     * Seven calls, four of them at the same instant: pages of three, in either order, give each row once and in
     * (createdAt, id) order, which only the id can decide among the four.
     */
    @Test
    void pagingInEitherOrderNeitherSkipsNorRepeatsCallsThatShareATimestamp() {
        var org = Api.newOrganization();
        var t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var rows = new ArrayList<Row>();
        for (var at : List.of(t, t.minusSeconds(5), t, t.plusSeconds(5), t, t, t.minusSeconds(5))) {
            rows.add(insert(org, at));
        }
        var oldestFirst = rows.stream().sorted(Comparator.comparing(Row::createdAt)
                // PostgreSQL orders uuids as unsigned bytes, which is their text's order (UUID.compareTo is signed).
                .thenComparing(r -> r.id().toString()))
                .map(r -> r.id().toString()).toList();
        var newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);

        assertThat(list(org, Map.of()).getList("items.id")).containsExactlyElementsOf(newestFirst);
        assertThat(pages(org, null)).containsExactlyElementsOf(newestFirst);
        assertThat(pages(org, "desc")).containsExactlyElementsOf(newestFirst);
        assertThat(pages(org, "asc")).containsExactlyElementsOf(oldestFirst);
        assertThat(list(org, Map.of("status", "completed", "order", "asc")).getList("items.id"))
                .containsExactlyElementsOf(oldestFirst);

        String cursor = list(org, Map.of("limit", 3, "order", "asc")).getString("nextCursor");
        var contradicted = Api.as(org).queryParam("cursor", cursor).queryParam("order", "desc").get("/v1/calls")
                .then().statusCode(400).extract().jsonPath();
        assertThat(contradicted.getList("details.field")).containsExactly("order");
        var badOrder = Api.as(org).queryParam("order", "oldest").get("/v1/calls").then().statusCode(400).extract()
                .jsonPath();
        assertThat(badOrder.getList("details.field")).containsExactly("order");
        // A cursor of a list read newest first is not a position of a list that is only oldest first.
        String newest = list(org, Map.of("limit", 3)).getString("nextCursor");
        var foreign = Api.as(org).queryParam("cursor", newest).get("/v1/calls/batches").then().statusCode(400)
                .extract().jsonPath();
        assertThat(foreign.getList("details.field")).containsExactly("cursor");
    }

    private record Row(UUID id, Instant createdAt) {
    }

    private Row insert(Api.Org org, Instant at) {
        var id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into call (id, organization_id, direction, from_number, to_number, status, created_at,
                                  updated_at)
                values ($1, $2, 'inbound', $3, $4, 'completed', $5, $5)""")
                .execute(Tuple.of(id, UUID.fromString(org.id()), SimAccount.randomNumber(),
                        SimAccount.randomNumber(), at.atOffset(ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(10));
        return new Row(id, at);
    }

    /** Every id, read three at a time by following nextCursor, the order given on the first page only. */
    private static List<String> pages(Api.Org org, String order) {
        var ids = new ArrayList<String>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            var query = new HashMap<String, Object>(Map.of("limit", 3));
            if (cursor != null) {
                query.put("cursor", cursor);
            } else if (order != null) {
                query.put("order", order);
            }
            var answer = list(org, query);
            ids.addAll(answer.getList("items.id"));
            cursor = answer.getString("nextCursor");
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("more pages than rows");
    }

    private static JsonPath list(Api.Org org, Map<String, ?> query) {
        return Api.as(org).queryParams(query).get("/v1/calls").then().statusCode(200).extract().jsonPath();
    }
}
