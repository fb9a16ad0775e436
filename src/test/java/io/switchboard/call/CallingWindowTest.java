package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Calling windows in each target's local time, the zones derived from the number. The windows are built around the
 * current time, so that the test holds whenever it runs.
 */
@QuarkusTest
class CallingWindowTest {

    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    TwilioSimulator simulator;

    /**
     * A window of two hours around the time in Sydney: open for a Sydney landline, closed in Los Angeles (five hours
     * ahead on the clock), and closed for an Australian mobile number, which may be anywhere from Christmas Island to
     * Lord Howe Island: the most restrictive of its zones wins.
     */
    @Test
    void onlyTargetsWhoseWindowIsOpenInEveryZoneOfTheirNumberAreCalled() throws InterruptedException {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, agentId);
        String sydney = "+612" + digits(8);
        String mobile = "+614" + digits(8);
        String losAngeles = "+1415" + digits(7);
        LocalTime now = ZonedDateTime.now(SYDNEY).toLocalTime();
        String start = now.getHour() == 0 ? "00:00" : HH_MM.format(now.minusHours(1));
        String end = now.getHour() == 23 ? "24:00" : HH_MM.format(now.plusHours(1));
        String batchId = create(c, agentId, List.of(mobile, losAngeles, sydney), Map.of("start", start, "end", end));

        Await.until(Duration.ofSeconds(10), () -> calledNumbers(c).contains(sydney), "the Sydney target called");
        // Past two more pace intervals, the other two still wait.
        Thread.sleep(2_500);
        assertThat(calledNumbers(c)).containsExactly(sydney);
        assertThat(statuses(c, batchId).subList(0, 2)).containsExactly("queued", "queued");
        Api.as(c.org()).get("/v1/calls/batches/" + batchId).then().statusCode(200)
                .body("status", equalTo("running"))
                .body("callingWindow.start", equalTo(start))
                .body("callingWindow.end", equalTo(end))
                .body("callingWindow.days", equalTo(List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")));
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/cancel").then().statusCode(200)
                .body("canceled", equalTo(2));
    }

    @Test
    void theDaysAreThoseOfTheTargetsLocalDate() throws InterruptedException {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, agentId);
        DayOfWeek today = ZonedDateTime.now(LOS_ANGELES).getDayOfWeek();
        String open = "+1415" + digits(7);
        String openBatch = create(c, agentId, List.of(open),
                Map.of("start", "00:00", "end", "24:00", "days", List.of(day(today))));
        Await.until(Duration.ofSeconds(10), () -> calledNumbers(c).contains(open), "today's target called");

        var otherDays = Arrays.stream(DayOfWeek.values()).filter(d -> d != today).map(CallingWindowTest::day).toList();
        String closed = "+1415" + digits(7);
        String closedBatch = create(c, agentId, List.of(closed),
                Map.of("start", "00:00", "end", "24:00", "days", otherDays));
        Thread.sleep(2_500);
        assertThat(calledNumbers(c)).containsExactly(open);
        assertThat(statuses(c, closedBatch)).containsExactly("queued");
        Api.as(c.org()).post("/v1/calls/batches/" + closedBatch + "/cancel").then().statusCode(200);
        assertThat(openBatch).isNotEqualTo(closedBatch);
    }

    @Test
    void aMalformedWindowIsRejectedNamingEachField() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, agentId);
        String target = SimAccount.randomNumber();
        expectInvalid(c, agentId, target, Map.of("start", "9:00", "end", "25:00"), "callingWindow.start",
                "callingWindow.end");
        expectInvalid(c, agentId, target, Map.of("start", "17:00", "end", "09:00"), "callingWindow.end");
        expectInvalid(c, agentId, target, Map.of("start", "09:00", "end", "17:00", "days", List.of("mon", "funday",
                "mon")), "callingWindow.days[1]", "callingWindow.days[2]");
        expectInvalid(c, agentId, target, Map.of("start", "09:00", "end", "17:00", "days", List.of()),
                "callingWindow.days");
        expectInvalid(c, agentId, target, Map.of("end", "17:00"), "callingWindow.start");
        Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of(target), "callingWindow", "9-5"))
                .post("/v1/calls")
                .then().statusCode(400);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static void expectInvalid(Connected c, String agentId, String target, Map<String, Object> window,
            String... fields) {
        Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of(target), "callingWindow", window))
                .post("/v1/calls")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("details.field", hasItems(fields));
    }

    private static String day(DayOfWeek day) {
        return day.name().substring(0, 3).toLowerCase(Locale.ROOT);
    }

    private static String digits(int n) {
        var out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? ThreadLocalRandom.current().nextInt(2, 10) : ThreadLocalRandom.current().nextInt(10));
        }
        return out.toString();
    }

    private static String agent(Connected c) {
        return c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    private static String create(Connected c, String agentId, List<String> targets, Map<String, Object> window) {
        var body = new HashMap<String, Object>(Map.of("agentId", agentId, "targetNumbers", targets));
        body.put("callingWindow", window);
        return Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(202).extract().path("batchId");
    }

    private static List<String> statuses(Connected c, String batchId) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.status");
    }

    private List<String> calledNumbers(Connected c) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && c.account().accountSid().equals(r.accountSid()))
                .map(r -> r.params().get("To").get(0)).toList();
    }
}
