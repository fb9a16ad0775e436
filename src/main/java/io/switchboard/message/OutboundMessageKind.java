package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.outbound.DispatchKind;
import io.switchboard.outbound.DispatchTable;
import io.switchboard.outbound.OutboundConfig;
import io.switchboard.twilio.MessageRequest;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioMessage;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Outbound messages as a kind of send, at {@code switchboard.outbound.segments-per-second} per sender number. An
 * ambiguous send is never sent again: only its status callback, whose URL names the message, can attach its sid within
 * the grace period; without one the message ends failed with a dispatch error saying the outcome is unknown. (The
 * client has no message list to search, and a duplicate text is worse than a missing one.) The provider's
 * credentials go to the client whole: for an AU1 provider it sends through US1 with the US1 credentials, and without
 * them refuses ({@code Us1CredentialsRequired}, permanent), so the message fails saying what is missing.
 */
@ApplicationScoped
class OutboundMessageKind implements DispatchKind {

    private static final Logger LOG = Logger.getLogger(OutboundMessageKind.class);
    /** Twilio's code for a recipient who replied STOP. */
    static final int OPTED_OUT = 21610;

    private final OutboundMessageRepository repository;
    private final TwilioClient twilio;
    private final WebhookUrls urls;
    private final OutboundConfig config;

    OutboundMessageKind(OutboundMessageRepository repository, TwilioClient twilio, WebhookUrls urls,
            OutboundConfig config) {
        this.repository = repository;
        this.twilio = twilio;
        this.urls = urls;
        this.config = config;
    }

    @Override
    public DispatchTable table() {
        return OutboundMessageRepository.DISPATCH;
    }

    @Override
    public double perSecond() {
        return config.segmentsPerSecond();
    }

    /** A recipient listed since the message was accepted (a STOP reply to a backlog) is not texted. */
    @Override
    public String withheld(Row row) {
        return Boolean.TRUE.equals(row.getBoolean("do_not_contact")) ? DoNotContactRepository.SKIP_REASON : null;
    }

    @Override
    public Uni<String> send(Row row, TwilioCredentials credentials) {
        UUID id = row.getUUID("id");
        var request = MessageRequest.from(row.getString("to_number"), row.getString("from_number"),
                row.getString("body")).withStatusCallback(urls.messagingStatus(id.toString()));
        LOG.infof("outbound message %s: sending (attempt %d)", id, row.getInteger("attempts"));
        return twilio.createMessage(credentials, request).map(TwilioMessage::sid);
    }

    @Override
    public Uni<Void> created(UUID id, String sid) {
        LOG.infof("outbound message %s: accepted by Twilio as %s", id, sid);
        return repository.sent(id, sid);
    }

    /** Twilio knows the recipient replied STOP (perhaps before the number was imported): remember it here too. */
    @Override
    public Uni<Void> refused(SqlClient db, Row row, Integer code) {
        if (!Integer.valueOf(OPTED_OUT).equals(code)) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("outbound message %s: the recipient has opted out (21610)", row.getUUID("id"));
        return repository.insertOptOut(db, row.getUUID("organization_id"), row.getString("to_number"));
    }

    @Override
    public String unconfirmedError() {
        return "Twilio did not confirm the send and no status callback named it; not resent, since it may have been "
                + "delivered";
    }
}
