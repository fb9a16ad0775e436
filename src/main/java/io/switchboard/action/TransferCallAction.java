package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import io.switchboard.call.CallTransferService;
import io.switchboard.call.CallView;
import io.switchboard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code transferCall {callSid, to?, mode?}}: {@code POST /v1/calls/{id}/transfer} of the call Twilio knows by this
 * CallSid; {@code to} defaults to the agent's transfer number, {@code mode} to cold.
 */
@ApplicationScoped
class TransferCallAction implements Action {

    private final CallTransferService transfers;
    private final TenantContext tenant;

    TransferCallAction(CallTransferService transfers, TenantContext tenant) {
        this.transfers = transfers;
        this.tenant = tenant;
    }

    @Override
    public String name() {
        return "transferCall";
    }

    @Override
    public Uni<CallView> run(Arguments arguments) {
        arguments.only(Set.of("callSid", "to", "mode"));
        return transfers.transferBySid(tenant.requireOrganization(), arguments.required("callSid"),
                arguments.optional("to"), arguments.optional("mode"))
                .onItem().ifNull().failWith(CallSids::notFound);
    }
}
