package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.message.MessageView;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Control of a call while it goes on: hang-up, recording, a text to the other party. */
@Path("/v1/calls")
public class CallControlResource {

    private final CallControlService control;

    public CallControlResource(CallControlService control) {
        this.control = control;
    }

    @POST
    @Path("/{id}/hangup")
    public Uni<HangupView> hangup(@PathParam("id") UUID id) {
        return control.hangup(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    @POST
    @Path("/{id}/recording")
    public Uni<RecordingView> recording(@PathParam("id") UUID id, @NotNull RecordingRequest request) {
        return control.recording(id, request).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    /** Accepted once the message is stored; the dispatcher sends it, as for {@code POST /v1/messages}. */
    @POST
    @Path("/{id}/messages")
    @ResponseStatus(202)
    public Uni<MessageView> message(@PathParam("id") UUID id, @NotNull CallMessageRequest request) {
        return control.message(id, request).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }
}
