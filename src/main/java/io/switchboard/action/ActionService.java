package io.switchboard.action;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.twilio.TwilioErrorMapper;
import io.switchboard.twilio.TwilioException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Runs the action a request names, among every {@link Action} bean. What the action could not do is its answer's
 * {@code error} (the request was understood, so it is still a 200): an agent reads it and decides, where an HTTP
 * error would break its tool call.
 */
@ApplicationScoped
public class ActionService {

    static final String UNKNOWN_ACTION = "unknown_action";

    private final Map<String, Action> actions;

    ActionService(@All List<Action> actions) {
        this.actions = actions.stream().collect(Collectors.toMap(Action::name, Function.identity(), (a, b) -> {
            throw new IllegalStateException("two actions are named " + a.name());
        }, TreeMap::new));
    }

    /** The names of the actions there are. */
    public List<String> names() {
        return List.copyOf(actions.keySet());
    }

    public Uni<ActionResponse> run(ActionRequest request) {
        request.validate();
        String name = request.action();
        Action action = actions.get(name);
        if (action == null) {
            return Uni.createFrom().item(ActionResponse.failed(name, UNKNOWN_ACTION,
                    "no action is named " + name + "; there are " + String.join(", ", actions.keySet())));
        }
        return Uni.createFrom().deferred(() -> action.run(request.args()))
                .<ActionResponse>map(result -> ActionResponse.done(name, result))
                .onFailure(ActionService::isReported).recoverWithItem(failure -> failed(name, failure));
    }

    /** Failures that say what the action could not do, as opposed to the service being unwell. */
    private static boolean isReported(Throwable failure) {
        return failure instanceof ActionError || failure instanceof ApiException || failure instanceof TwilioException
                || failure instanceof CircuitBreakerOpenException || failure instanceof TimeoutException;
    }

    private static ActionResponse failed(String name, Throwable failure) {
        if (failure instanceof ActionError e) {
            return ActionResponse.failed(name, e.code(), e.getMessage());
        }
        if (failure instanceof ApiException e) {
            // The services' 400 names the field, which is the argument of the same name.
            String code = e.status() == 400 ? ActionError.INVALID_ARGUMENTS : e.code();
            return ActionResponse.failed(name, code, e.getMessage());
        }
        if (failure instanceof TwilioException e) {
            var error = TwilioErrorMapper.error(e, List.of());
            return ActionResponse.failed(name, error.error(), error.message());
        }
        return ActionResponse.failed(name, "twilio_unavailable", "Twilio did not answer in time or is failing");
    }
}
