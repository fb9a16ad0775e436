package io.switchboard.reconcile;

import java.util.UUID;

/**
 * A claimed row whose status has not changed for longer than {@code switchboard.reconcile.age}.
 *
 * @param status the row's status when it was claimed
 */
public record Stale(UUID id, String sid, String status, String accountSid) {
}
