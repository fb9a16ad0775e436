package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The actions of an agent in a call, one endpoint for every tool it calls. */
@Tag(name = "Actions",
        description = "The tools an agent calls during a call: makeCall, sendSMS, hangupCall, transferCall, getCallStatus.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/actions")
public class ActionResource {

    private final ActionService actions;

    public ActionResource(ActionService actions) {
        this.actions = actions;
    }

    /** 200 for every well-formed request, with the action's result or why it was not done. */
    @Operation(summary = "Run an action",
            description = "Runs one action; answers 200 for every well-formed request, with the action's result or why it was not done.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @POST
    public Uni<ActionResponse> run(@NotNull ActionRequest request) {
        return actions.run(request);
    }
}
