package io.switchboard.reconcile;

/**
 * What the reconcile statements need to know of one kind's table. The table has {@code id}, {@code sid},
 * {@code status}, {@code account_sid}, {@code organization_id}, {@code updated_at} (the time of the row's last
 * event) and {@code reconcile_after} (V8). The SQL fragments are written by the repository of the package that owns
 * the table, and name the row {@code t}.
 *
 * @param name the table
 * @param unfinished a condition over the row: its status is not final, so Twilio may know more than the row
 * @param preferredProvider an expression over the row: the provider it was sent or received through, or null; when
 *     it is gone, another provider of the row's organization and account serves
 */
public record ReconcileTable(String name, String unfinished, String preferredProvider) {
}
