package io.switchboard.action;

import io.smallrye.mutiny.Uni;

/**
 * One action of {@code POST /v1/actions}, found by its {@link #name()}: an {@code @ApplicationScoped} bean
 * implementing this is all a new action needs. It runs for the caller's organization.
 * <p>
 * A failure the agent should be told of is an {@link ActionError}, or what the services it calls throw for their API
 * ({@link io.switchboard.common.ApiException}, a Twilio refusal): {@link ActionService} reports each as the
 * response's {@code error}. Anything else fails the request as it would any other.
 */
public interface Action {

    /** The name agents call it by, as tool-calling agents spell it ({@code sendSMS}, {@code hangupCall}). */
    String name();

    /** The result, turned into JSON as it is. */
    Uni<?> run(Arguments arguments);
}
