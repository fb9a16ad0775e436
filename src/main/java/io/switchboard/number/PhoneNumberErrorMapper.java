package io.switchboard.number;

import io.switchboard.common.ApiError;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A {@link PhoneNumberFailure} as the API answers it. */
public class PhoneNumberErrorMapper {

    @ServerExceptionMapper
    public Response notInAccount(PhoneNumberFailure.NotInAccount e) {
        return new ApiError("number_not_in_account", "the number is not in that provider's Twilio account",
                List.of(new ApiError.FieldError("number", "not in the Twilio account"))).toResponse(422);
    }

    @ServerExceptionMapper
    public Response alreadyImported(PhoneNumberFailure.AlreadyImported e) {
        return ApiError.of("number_already_imported", "the number is already imported").toResponse(409);
    }

    @ServerExceptionMapper
    public Response assigned(PhoneNumberFailure.Assigned e) {
        return ApiError.of("number_assigned", "the number is assigned to an agent; unassign it first (agentId: null)")
                .toResponse(409);
    }

    @ServerExceptionMapper
    public Response assignedDuringDelete(PhoneNumberFailure.AssignedDuringDelete e) {
        return ApiError.of("number_assigned",
                "the number was assigned to an agent while it was being deleted; it stays imported").toResponse(409);
    }

    @ServerExceptionMapper
    public Response restoreRefused(PhoneNumberFailure.RestoreRefused e) {
        return ApiError.of("twilio_restore_failed", "could not restore the number's previous configuration in Twilio ("
                + e.getCause().getMessage() + "); retry, or delete with ?force=true").toResponse(502);
    }
}
