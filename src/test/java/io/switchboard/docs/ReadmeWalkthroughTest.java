package io.switchboard.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import io.switchboard.support.Walkthrough;
import io.switchboard.support.Walkthrough.Expectation;
import io.switchboard.support.Walkthrough.JqFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's walkthrough, run exactly as written against the test application (the simulator is in it), so that the
 * README cannot drift from what the service does; and the interpreter that runs it, shown to refuse what it cannot run
 * and to fail on an answer that does not match. The walkthrough waits for the simulator's callbacks (a call ends, a
 * message is delivered, a batch is placed at the account's pace of 1 call per second): 36 s on two cores under a load
 * of 30, most of it those waits.
 */
@QuarkusTest
class ReadmeWalkthroughTest {

    /** The operator's token of dev mode, which the README shows; the test application has its own. */
    private static final String DEV_ADMIN_TOKEN = "dev-admin-token-not-a-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theReadmeWalkthroughRunsAsWritten() throws IOException {
        var blocks = Walkthrough.read(Path.of("README.md"));
        assertThat(blocks).as("walkthrough blocks in README.md").isNotEmpty()
                .allSatisfy(block -> assertThat(block.statements()).as(block.title()).isNotEmpty());
        var run = run();
        blocks.forEach(run::run);
        assertThat(run.variables()).containsKeys("KEY", "PROVIDER");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rm -rf target",
        "curl -s localhost:8080/v1/agents > agents.json",
        "curl -s localhost:8080/v1/agents && curl -s localhost:8080/v1/calls",
        "curl -s localhost:8080/v1/agents; curl -s localhost:8080/v1/calls",
        "curl -s localhost:8080/v1/agents | jq .items[0].id",
        "curl -s localhost:8080/v1/agents | jq '.items | map(.id)'",
        "curl -s localhost:8080/v1/agents | jq -r .items | sort",
        "curl -o agents.json localhost:8080/v1/agents",
        "curl -s localhost:8080/v1/agents localhost:8080/v1/calls",
        "KEY=$(curl -s localhost:8080/v1/api-keys)",
        "curl -s \"localhost:8080/v1/agents/$(cat id)\"",
        "curl -s localhost:8080/v1/agents -d \"{\\\"name\\\":\\\"Hi!\\\"}\"",
        "curl -s localhost:8080/v1/agents\n# -> {}\n# -> {}",
        "# -> {}" })
    void aCommandOutsideTheSubsetIsRefused(String block) {
        assertThatThrownBy(() -> Walkthrough.parse(block, 1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not supported");
    }

    @Test
    void theSubsetIsReadAsAShellReadsIt() {
        var statements = Walkthrough.parse("""
                ID=$(curl -s -X POST localhost:8080/v1/agents -H "Authorization: Bearer $KEY" \\
                  -d "{\\"name\\":\\"$NAME\\"}" | jq -r '.items[0].id')  # a comment
                curl -s "localhost:8080/v1/agents/${ID}" # -> {"id":"…",…}
                curl -s localhost:8080/v1/agents
                # -> HTTP 404
                """, 10);
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0).variable()).isEqualTo("ID");
        assertThat(statements.get(0).line()).isEqualTo(10);
        assertThat(statements.get(0).curl().headers()).hasSize(1);
        assertThat(statements.get(0).jq()).isEqualTo(new Walkthrough.Jq(true, ".items[0].id"));
        assertThat(statements.get(0).expected()).isNull();
        assertThat(statements.get(1).line()).isEqualTo(12);
        assertThat(statements.get(1).expected()).isEqualTo("{\"id\":\"…\",…}");
        assertThat(statements.get(2).expected()).isEqualTo("HTTP 404");
    }

    @Test
    void anAnswerMatchesItsAbbreviationOrTheStepFails() {
        var created = Expectation.of("{\"id\":\"…\",\"name\":\"Acme\",\"apiKey\":\"sb_…\"}");
        assertThat(created.problem(201, "{\"id\":\"1\",\"name\":\"Acme\",\"apiKey\":\"sb_x\"}")).isNull();
        assertThat(created.problem(201, "{\"id\":\"1\",\"name\":\"Other\",\"apiKey\":\"sb_x\"}")).contains(".name");
        assertThat(created.problem(201, "{\"id\":\"1\",\"name\":\"Acme\",\"apiKey\":\"sk_x\"}")).contains(".apiKey");
        assertThat(created.problem(201, "{\"id\":1,\"name\":\"Acme\",\"apiKey\":\"sb_x\",\"more\":1}"))
                .contains("more members");
        assertThat(created.problem(401, "{\"id\":\"1\",\"name\":\"Acme\",\"apiKey\":\"sb_x\"}")).contains("2xx");

        var list = Expectation.of("{\"items\":[{\"n\":1,…},…],…}");
        assertThat(list.problem(200, "{\"items\":[{\"n\":1,\"m\":2},{\"n\":3}],\"nextCursor\":null}")).isNull();
        assertThat(list.problem(200, "{\"items\":[],\"nextCursor\":null}")).contains("elements");
        assertThat(Expectation.of("[]").problem(200, "[1]")).contains("elements");
        assertThat(Expectation.of("2").problem(200, "2\n")).isNull();
        assertThat(Expectation.of("2").problem(200, "3\n")).isNotNull();

        var refused = Expectation.of("HTTP 422 {\"error\":\"recipient_opted_out\",…}");
        assertThat(refused.problem(422, "{\"error\":\"recipient_opted_out\",\"message\":\"m\"}")).isNull();
        assertThat(refused.problem(202, "{\"error\":\"recipient_opted_out\"}")).contains("HTTP 422");

        var twiml = Expectation.of("<Response><Say>…</Say></Response>");
        assertThat(twiml.problem(200, "<Response><Say>Hi</Say></Response>\n")).isNull();
        assertThat(twiml.problem(200, "<Response><Hangup/></Response>")).isNotNull();
    }

    @Test
    void jqPathsPipesLengthAndArrays() throws IOException {
        var input = MAPPER.readTree("{\"items\":[{\"id\":\"a\",\"r\":{\"t\":\"x\"}},{\"id\":\"b\"}],\"n\":null}");
        assertThat(JqFilter.parse(".items[0].id", 1).apply(input)).map(Object::toString).containsExactly("\"a\"");
        assertThat(JqFilter.parse(".items[-1].id", 1).apply(input)).map(Object::toString).containsExactly("\"b\"");
        assertThat(JqFilter.parse("[.items[].id]", 1).apply(input)).map(Object::toString)
                .containsExactly("[\"a\",\"b\"]");
        assertThat(JqFilter.parse(".items | length", 1).apply(input)).map(Object::toString).containsExactly("2");
        assertThat(JqFilter.parse(".items[1].r.t", 1).apply(input)).map(Object::toString).containsExactly("null");
        assertThat(JqFilter.parse(".", 1).apply(input)).containsExactly(input);
        assertThatThrownBy(() -> JqFilter.parse(".items[0].id.x", 1).apply(input))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aStepThatFailsStopsTheWalkthroughNamingIt() {
        var block = new Walkthrough.Block("refused", 1, Walkthrough.parse("""
                curl -s -X POST localhost:8080/v1/organizations -H 'Authorization: Bearer wrong-token' \\
                  -H 'Content-Type: application/json' -d '{"name":"Acme"}'
                """, 2));
        assertThatThrownBy(() -> run().run(block)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("step 'refused'").hasMessageContaining("answered 401");

        var unset =
                new Walkthrough.Block("unset", 1, Walkthrough.parse("curl -s \"localhost:8080/v1/agents/$NOPE\"", 2));
        assertThatThrownBy(() -> run().run(unset)).hasMessageContaining("$NOPE is not set");
    }

    @Test
    void aDevTokenOrPortOfTheReadmeReachesTheTestApplication() {
        var block = new Walkthrough.Block("organization", 1, Walkthrough.parse("""
                KEY=$(curl -s -X POST localhost:8080/v1/organizations \\
                  -H 'Authorization: Bearer dev-admin-token-not-a-secret' -H 'Content-Type: application/json' \\
                  -d '{"name":"Walkthrough check"}' | jq -r .apiKey)
                curl -s localhost:8080/v1/api-keys -H "Authorization: Bearer $KEY" | jq '.items | length'
                # -> 1
                """, 2));
        var run = run();
        run.run(block);
        assertThat(run.variables().get("KEY")).startsWith("sb_");
        assertThat(run.variables()).containsOnlyKeys("KEY");
    }

    private static Walkthrough.Run run() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return new Walkthrough.Run(Map.of("localhost:8080", "localhost:" + port, DEV_ADMIN_TOKEN, Api.ADMIN_TOKEN));
    }
}
