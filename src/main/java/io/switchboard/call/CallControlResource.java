package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.message.MessageView;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Control of a call while it goes on: hang-up, recording, a text to the other party. */
@Tag(name = "Calls",
        description = "Outbound batches, calls in and out, their events and their control while they go on.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/calls")
public class CallControlResource {

    private final CallControlService control;

    public CallControlResource(CallControlService control) {
        this.control = control;
    }

    @Operation(summary = "Hang up a call", description = "Ends the call in Twilio.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @Path("/{id}/hangup")
    public Uni<HangupView> hangup(@PathParam("id") UUID id) {
        return control.hangup(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    @Operation(summary = "Control the recording",
            description = "Starts, pauses, resumes or stops the call's recording.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @Path("/{id}/recording")
    public Uni<RecordingView> recording(@PathParam("id") UUID id, @NotNull RecordingRequest request) {
        return control.recording(id, request).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    /** Accepted once the message is stored; the dispatcher sends it, as for {@code POST /v1/messages}. */
    @Operation(summary = "Text the other party",
            description = "Sends an SMS to the other party of the call from the call's number; stored and sent as POST /v1/messages.")
    @APIResponse(responseCode = "202", description = "Accepted: the message as stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @POST
    @Path("/{id}/messages")
    @ResponseStatus(202)
    public Uni<MessageView> message(@PathParam("id") UUID id, @NotNull CallMessageRequest request) {
        return control.message(id, request).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }
}
