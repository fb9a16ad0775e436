-- Callback de-duplication keys are scoped by the Twilio account that signed the callback: "<AccountSid>|" and then
-- the key as before (webhook.CallbackEvent). Without it another connected account's callback with the same
-- idempotency token or sid was taken for a redelivery and dropped. The stored rows get the same prefix from the
-- AccountSid they were stored with, so a redelivery of one of them still lands on it. A prefixed key is at most 35
-- characters longer than the 512 of an unprefixed one, well within the unique index's bound. Reconciliation's own
-- events (reconcile.ReconciledEvent) keep their key: the service writes them for its own rows, never a callback.
update communication_event
   set dedupe_key = coalesce(params -> 'AccountSid' ->> 0, '') || '|' || dedupe_key
 where type <> 'reconciled-status';

-- A number whose import Twilio did not confirm (a timeout, a 5xx: the update may have been applied) keeps its row,
-- the one copy of its configuration from before the import, marked with when that happened, until a delete restores
-- it at Twilio or a retried import completes (number.PhoneNumberService).
alter table phone_number add column import_failed_at timestamptz;
