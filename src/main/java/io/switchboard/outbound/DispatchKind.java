package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioCredentials;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.UUID;

/**
 * One kind of outbound send, such as a call or a message. {@link Dispatch} claims its rows, classifies failures and
 * keeps the never-twice rules; a kind supplies only its table, its request, and what its outcomes mean. Every
 * {@code @ApplicationScoped} kind is dispatched by {@link OutboundDispatcher}.
 * <p>
 * The rows handed to a kind are those its table's claim returns: every column of the row, the provider's
 * ({@link io.switchboard.provider.ProviderCredentials#JOINED_COLUMNS}) and the table's claimed columns.
 */
public interface DispatchKind {

    DispatchTable table();

    /**
     * Pace intervals per second and pace key, across all replicas, where the row's {@link DispatchTable#paceRate()}
     * names none.
     */
    double perSecond();

    /** What the kind sends, as its log lines and errors name it: its table. */
    default String noun() {
        return table().name();
    }

    /**
     * Why the claimed row must not be sent after all, decided at the moment it would be (its recipient is on the
     * do-not-contact list, its agent is gone): a short reason the row ends {@code canceled} with, in
     * {@code skip_reason}; null to send it. Never withheld by default.
     */
    default String withheld(Row row) {
        return null;
    }

    /** Builds the claimed row's request and sends it; completes with the sid of what Twilio created. */
    Uni<String> send(Row row, TwilioCredentials credentials);

    /** Stores that Twilio created {@code sid} for the row, which is then done. */
    Uni<Void> created(UUID id, String sid);

    /**
     * What else Twilio refusing the row means, written in the transaction that ends it failed. Nothing by default.
     */
    default Uni<Void> refused(SqlClient db, Row row, Integer code) {
        return Uni.createFrom().voidItem();
    }

    /**
     * Whether an ambiguous send can be looked for in Twilio ({@link #adopt}); when not, only a status callback naming
     * the row can tell that it exists.
     */
    default boolean searchesTwilio() {
        return false;
    }

    /**
     * Looks in Twilio for what an ambiguous send of the row created, and attaches the first match no other row owns;
     * completes with its sid, or null when there is none.
     */
    default Uni<String> adopt(Row row, TwilioCredentials credentials) {
        return Uni.createFrom().nullItem();
    }

    /** How many times a send still not found after the grace period is sent again: 0 (never) or 1. */
    default int resendsAfterGrace() {
        return 0;
    }

    /** The dispatch error of a send not found after the grace period, once it may not be sent again. */
    String unconfirmedError();
}
