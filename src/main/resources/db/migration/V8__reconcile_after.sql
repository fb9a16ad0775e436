-- Reconciliation (reconcile.Reconciler): a call or message left unfinished for a while after its last event is asked
-- about in Twilio. reconcile_after is both its lease and its back-off: a claim sets it a lease ahead, so no other
-- replica fetches the row meanwhile; the release sets it to when the row may be asked about again. Null: never asked.
alter table call add column reconcile_after timestamptz;
alter table message add column reconcile_after timestamptz;

-- The unfinished rows with a sid, by the time of their last event: what a claim looks through. The status lists are
-- those of CallStatuses.SQL_UNFINISHED and MessageStatuses.SQL_UNFINISHED.
create index call_reconcile on call (updated_at)
    where sid is not null and status in ('in-progress', 'initiated', 'queued', 'ringing');
create index message_reconcile on message (updated_at)
    where sid is not null and status in ('accepted', 'partially_delivered', 'queued', 'receiving', 'scheduled',
                                         'sending', 'sent');
