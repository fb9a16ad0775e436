package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import io.switchboard.message.MessageService;
import io.switchboard.message.MessageView;
import io.switchboard.message.SendMessageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code sendSMS {to, body, from?}}: {@code POST /v1/messages}, with its checks (the do-not-contact list) and its
 * durable dispatch; without {@code from}, from the organization's oldest SMS-capable number, as there.
 */
@ApplicationScoped
class SendSmsAction implements Action {

    private final MessageService messages;

    SendSmsAction(MessageService messages) {
        this.messages = messages;
    }

    @Override
    public String name() {
        return "sendSMS";
    }

    @Override
    public Uni<MessageView> run(Arguments arguments) {
        arguments.only(Set.of("to", "body", "from"));
        return messages.send(new SendMessageRequest(arguments.required("to"), arguments.required("body"),
                arguments.optional("from")));
    }
}
