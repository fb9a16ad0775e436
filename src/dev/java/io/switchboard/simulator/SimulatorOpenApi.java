package io.switchboard.simulator;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Dev mode only ({@code %dev.mp.openapi.filter}): adds the simulator's admin API to {@code /q/openapi}, so that Swagger
 * UI can drive the simulated Twilio beside the service. The production build has neither the simulator nor this.
 */
public class SimulatorOpenApi implements OASFilter {

    static final String TAG = "Twilio simulator (dev mode only)";

    /** One admin route, as {@link AdminRoutes} mounts it under {@code /sim}. */
    record AdminRoute(PathItem.HttpMethod method, String path, String summary) {
    }

    static final List<AdminRoute> ROUTES = List.of(
            route("POST", "/admin/reset", "Back to the configured accounts, faults and timing, with empty logs"),
            route("POST", "/admin/accounts", "A new account {accountSid, authToken}; an existing SID is refused (409)"),
            route("POST", "/admin/accounts/{sid}/auth-token",
                    "Changes the account's auth token {authToken}; the old one is refused at once"),
            route("POST", "/admin/accounts/{sid}/auth-tokens/secondary",
                    "A secondary auth token {secondaryAuthToken?}: it authenticates beside the primary until promoted"),
            route("DELETE", "/admin/accounts/{sid}/auth-tokens/secondary", "Deletes the secondary auth token"),
            route("POST", "/admin/accounts/{sid}/auth-tokens/promote",
                    "The secondary auth token becomes the primary; the old primary is refused at once"),
            route("POST", "/admin/accounts/{sid}/api-keys", "A new API key {sid, secret} of the account"),
            route("POST", "/admin/accounts/{sid}/numbers", "Gives the account a number {phoneNumber}"),
            route("PUT", "/admin/accounts/{sid}/calls-per-second", "The account's calls per second {callsPerSecond}"),
            route("GET", "/admin/requests", "Every request the simulator answered"),
            route("GET", "/admin/requests/counts", "The requests answered, counted by route"),
            route("GET", "/admin/calls", "Every call"),
            route("GET", "/admin/calls/live", "The calls and dialed legs not ended"),
            route("GET", "/admin/calls/{sid}/legs", "The legs a call's <Dial>s placed"),
            route("POST", "/admin/calls/{sid}/hangup", "The caller of a call, or the target of a leg, hangs up"),
            route("POST", "/admin/calls/{sid}/refer",
                    "The SIP agent holding the call sends a SIP REFER {referTo, headers?}: the referUrl is posted"),
            route("GET", "/admin/conferences", "The conferences not ended, with their participants"),
            route("GET", "/admin/messages", "Every message"),
            route("GET", "/admin/trunks", "Every SIP trunk"),
            route("GET", "/admin/twiml", "The TwiML the service answered, by call"),
            route("GET", "/admin/callbacks", "Every webhook the simulator sent, with its answer"),
            route("GET", "/admin/faults", "The faults in force"),
            route("PUT", "/admin/faults", "Changes the faults given"),
            route("GET", "/admin/timing", "How fast calls and messages move"),
            route("PUT", "/admin/timing", "Changes the timing given"),
            route("POST", "/admin/inbound/call", "Someone calls a number {to, from}: the TwiML the service answered"),
            route("POST", "/admin/inbound/sms", "Someone texts a number {to, from, body}"));

    private static AdminRoute route(String method, String path, String summary) {
        return new AdminRoute(PathItem.HttpMethod.valueOf(method), path, summary);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.addTag(OASFactory.createTag().name(TAG)
                .description("The simulated Twilio of dev mode: seed accounts, ring numbers, read what happened."));
        if (openAPI.getPaths() == null) {
            openAPI.setPaths(OASFactory.createPaths());
        }
        for (AdminRoute route : ROUTES) {
            String path = "/sim" + route.path();
            PathItem item = openAPI.getPaths().getPathItem(path);
            if (item == null) {
                item = OASFactory.createPathItem();
                openAPI.getPaths().addPathItem(path, item);
            }
            var operation = OASFactory.createOperation().addTag(TAG).summary(route.summary())
                    .description("No authentication: the simulator exists only in dev and test builds.")
                    .security(List.of())
                    .responses(OASFactory.createAPIResponses().addAPIResponse("200",
                            OASFactory.createAPIResponse().description("Done; JSON where there is something to show"))
                            .addAPIResponse("400", OASFactory.createAPIResponse().description("A value is invalid")));
            if (path.contains("{sid}")) {
                operation.addParameter(OASFactory.createParameter().name("sid").in(Parameter.In.PATH).required(true)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
            }
            if (route.method() != PathItem.HttpMethod.GET) {
                operation.requestBody(OASFactory.createRequestBody().content(OASFactory.createContent()
                        .addMediaType("application/json", OASFactory.createMediaType().schema(
                                OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)))));
            }
            item.setOperation(route.method(), operation);
        }
    }
}
