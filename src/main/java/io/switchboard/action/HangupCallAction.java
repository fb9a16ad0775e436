package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import io.switchboard.call.CallControlService;
import io.switchboard.call.HangupView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** {@code hangupCall {callSid}}: {@code POST /v1/calls/{id}/hangup} of the call Twilio knows by this CallSid. */
@ApplicationScoped
class HangupCallAction implements Action {

    private final CallControlService control;

    HangupCallAction(CallControlService control) {
        this.control = control;
    }

    @Override
    public String name() {
        return "hangupCall";
    }

    @Override
    public Uni<HangupView> run(Arguments arguments) {
        arguments.only(Set.of("callSid"));
        return control.hangupBySid(arguments.required("callSid")).onItem().ifNull().failWith(CallSids::notFound);
    }
}
