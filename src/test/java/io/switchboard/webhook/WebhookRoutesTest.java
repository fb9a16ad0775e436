package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.twilio.WebhookEndpoint;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every endpoint is mounted with exactly one handler, or the service does not start. */
class WebhookRoutesTest {

    @Test
    void eachEndpointGetsItsOneHandler() {
        var handlers = Arrays.stream(WebhookEndpoint.values()).map(Named::new).toList();

        var byEndpoint = WebhookRoutes.byEndpoint(new ArrayList<>(handlers));

        assertThat(byEndpoint.keySet()).containsExactly(WebhookEndpoint.values());
        handlers.forEach(handler -> assertThat(byEndpoint.get(handler.endpoint())).isSameAs(handler));
    }

    @Test
    void anEndpointWithoutAHandlerStopsTheStart() {
        var handlers = new ArrayList<WebhookHandler>(Arrays.stream(WebhookEndpoint.values())
                .filter(e -> e != WebhookEndpoint.VOICE_RECORDING).map(Named::new).toList());

        assertThatThrownBy(() -> WebhookRoutes.byEndpoint(handlers)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VOICE_RECORDING has no handler");
    }

    @Test
    void anEndpointWithTwoHandlersStopsTheStart() {
        var handlers = new ArrayList<WebhookHandler>(Arrays.stream(WebhookEndpoint.values()).map(Named::new).toList());
        handlers.add(new Other(WebhookEndpoint.MESSAGING_STATUS));

        assertThatThrownBy(() -> WebhookRoutes.byEndpoint(handlers)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MESSAGING_STATUS has two handlers: Named and Other")
                .message().doesNotContain("no handler");
    }

    @Test
    void noHandlerAtAllNamesEveryEndpoint() {
        assertThatThrownBy(() -> WebhookRoutes.byEndpoint(List.of())).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(WebhookEndpoint.values())
                        .allSatisfy(endpoint -> assertThat(e).hasMessageContaining(endpoint + " has no handler")));
    }

    private record Named(WebhookEndpoint endpoint) implements WebhookHandler {
        @Override
        public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        }
    }

    private record Other(WebhookEndpoint endpoint) implements WebhookHandler {
        @Override
        public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        }
    }
}
