package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The do-not-contact list of the caller's organization. */
@ApplicationScoped
public class DoNotContactService {

    private final DoNotContactRepository repository;
    private final TenantContext tenant;

    DoNotContactService(DoNotContactRepository repository, TenantContext tenant) {
        this.repository = repository;
        this.tenant = tenant;
    }

    public Uni<ListResponse<DoNotContactView>> list(Integer limit, String cursor) {
        return repository.list(tenant.requireOrganization(), PageRequest.of(limit, null).limit(),
                PageRequest.afterNumber(cursor));
    }

    /** The stored entry, and whether it is new. */
    Uni<DoNotContactRepository.Added> add(DoNotContactRequest request) {
        request.validate();
        return repository.add(tenant.requireOrganization(), request.number(), request.reason());
    }

    /** Lets the number be called and texted again; 404 when it is not listed. */
    public Uni<Void> delete(String number) {
        if (!PhoneNumbers.isE164(number)) {
            throw ApiException.badRequest("number", "must be an E.164 phone number");
        }
        return repository.delete(tenant.requireOrganization(), number).invoke(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("do-not-contact entry");
            }
        }).replaceWithVoid();
    }
}
