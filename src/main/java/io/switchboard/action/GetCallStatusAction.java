package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import io.switchboard.call.CallService;
import io.switchboard.call.CallView;
import io.switchboard.common.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** {@code getCallStatus {callSid}}: the call of the organization Twilio knows by this CallSid, as the API shows it. */
@ApplicationScoped
class GetCallStatusAction implements Action {

    private final CallService calls;

    GetCallStatusAction(CallService calls) {
        this.calls = calls;
    }

    @Override
    public String name() {
        return "getCallStatus";
    }

    @Override
    public Uni<CallView> run(Arguments arguments) {
        arguments.only(Set.of("callSid"));
        String sid = arguments.required("callSid");
        return calls.list(null, null, sid, PageRequest.of(1, null)).map(page -> {
            if (page.items().isEmpty()) {
                throw CallSids.notFound();
            }
            return page.items().get(0);
        });
    }
}
