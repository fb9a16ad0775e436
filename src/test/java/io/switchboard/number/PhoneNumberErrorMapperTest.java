package io.switchboard.number;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ErrorBody;
import io.switchboard.support.ErrorBody.Detail;
import io.switchboard.twilio.TwilioException;
import io.switchboard.twilio.TwilioException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhoneNumberErrorMapperTest {

    private final PhoneNumberErrorMapper mapper = new PhoneNumberErrorMapper();

    @Test
    void aNumberNotInTheAccountIsA422NamingTheField() {
        assertThat(ErrorBody.of(mapper.notInAccount(new PhoneNumberFailure.NotInAccount()))).isEqualTo(
                new ErrorBody(422, "number_not_in_account", "the number is not in that provider's Twilio account",
                        List.of(new Detail("number", "not in the Twilio account"))));
    }

    @Test
    void aNumberImportedAlreadyIsAConflict() {
        assertThat(ErrorBody.of(mapper.alreadyImported(new PhoneNumberFailure.AlreadyImported()))).isEqualTo(
                new ErrorBody(409, "number_already_imported", "the number is already imported", List.of()));
    }

    @Test
    void anAssignedNumberIsAConflictBeforeAndDuringItsDelete() {
        assertThat(ErrorBody.of(mapper.assigned(new PhoneNumberFailure.Assigned()))).isEqualTo(
                new ErrorBody(409, "number_assigned",
                        "the number is assigned to an agent; unassign it first (agentId: null)", List.of()));
        assertThat(ErrorBody.of(mapper.assignedDuringDelete(new PhoneNumberFailure.AssignedDuringDelete())))
                .isEqualTo(new ErrorBody(409, "number_assigned",
                        "the number was assigned to an agent while it was being deleted; it stays imported",
                        List.of()));
    }

    @Test
    void aRestoreTwilioRefusedIsA502WithTwiliosReason() {
        var cause = new TwilioException(Kind.PERMANENT, 400, 21999, "bad request (21999)", null);
        assertThat(ErrorBody.of(mapper.restoreRefused(new PhoneNumberFailure.RestoreRefused(cause)))).isEqualTo(
                new ErrorBody(502, "twilio_restore_failed", "could not restore the number's previous configuration "
                        + "in Twilio (bad request (21999)); retry, or delete with ?force=true", List.of()));
    }
}
