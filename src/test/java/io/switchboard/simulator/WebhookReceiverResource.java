package io.switchboard.simulator;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

/** Stands in for the service's /twilio webhooks in the simulator's tests: records each request, answers TwiML. */
@Path("/test-hooks")
public class WebhookReceiverResource {

    static final String RECORDING_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Start>"
            + "<Recording recordingStatusCallback=\"/test-hooks/callback/twiml-recording\""
            + " recordingStatusCallbackEvent=\"in-progress completed\"/></Start><Say>Hello</Say></Response>";
    static final String SAY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Hello</Say></Response>";
    static final String REPLY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Got it</Message>"
            + "</Response>";

    static final String REFER_DIAL_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
            + "<Dial action=\"/test-hooks/twiml/dial-action\"><Number>+14155550777</Number></Dial></Response>";

    private final ReceivedWebhooks received;

    public WebhookReceiverResource(ReceivedWebhooks received) {
        this.received = received;
    }

    @POST
    @Path("/twiml/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces("text/xml")
    public Response twiml(@PathParam("name") String name, MultivaluedMap<String, String> form,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        record("twiml/" + name, form, uri, headers);
        return switch (name) {
            case "record" -> Response.ok(RECORDING_TWIML).build();
            case "reply" -> Response.ok(REPLY_TWIML).build();
            case "broken" -> Response.serverError().build();
            // A referUrl that refuses the REFER, and one that takes the caller to a number.
            case "refuse" -> Response.status(403).build();
            case "refer-dial" -> Response.ok(REFER_DIAL_TWIML).build();
            default -> Response.ok(SAY_TWIML).build();
        };
    }

    @POST
    @Path("/callback/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response callback(@PathParam("name") String name, MultivaluedMap<String, String> form,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        record("callback/" + name, form, uri, headers);
        return Response.noContent().build();
    }

    /** Answers the first {@code times} requests for {@code key} with 503, as the service does when it cannot store. */
    @POST
    @Path("/unavailable/{key}/{times}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unavailable(@PathParam("key") String key, @PathParam("times") int times,
            MultivaluedMap<String, String> form, @Context UriInfo uri, @Context HttpHeaders headers) {
        record("unavailable/" + key, form, uri, headers);
        return received.named("unavailable/" + key).size() <= times ? Response.status(503).build()
                : Response.noContent().build();
    }

    /** Answers the first {@code times} requests for {@code key} only after {@code millis}, later ones at once. */
    @POST
    @Path("/slow/{key}/{times}/{millis}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> slow(@PathParam("key") String key, @PathParam("times") int times,
            @PathParam("millis") long millis, MultivaluedMap<String, String> form, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        record("slow/" + key, form, uri, headers);
        var answer = Uni.createFrom().item(Response.noContent().build());
        return received.named("slow/" + key).size() <= times
                ? answer.onItem().delayIt().by(Duration.ofMillis(millis)) : answer;
    }

    private void record(String name, MultivaluedMap<String, String> form, UriInfo uri, HttpHeaders headers) {
        var params = new LinkedHashMap<String, List<String>>();
        form.forEach((key, values) -> params.put(key, List.copyOf(values)));
        received.add(new ReceivedWebhooks.Received(name, uri.getRequestUri().toString(), params,
                headers.getHeaderString("X-Twilio-Signature"), headers.getHeaderString("I-Twilio-Idempotency-Token")));
    }
}
