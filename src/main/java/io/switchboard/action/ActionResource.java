package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** The actions of an agent in a call, one endpoint for every tool it calls. */
@Path("/v1/actions")
public class ActionResource {

    private final ActionService actions;

    public ActionResource(ActionService actions) {
        this.actions = actions;
    }

    /** 200 for every well-formed request, with the action's result or why it was not done. */
    @POST
    public Uni<ActionResponse> run(@NotNull ActionRequest request) {
        return actions.run(request);
    }
}
