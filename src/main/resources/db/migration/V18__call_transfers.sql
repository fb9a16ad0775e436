-- A call's transfer to a person (POST /v1/calls/{id}/transfer) and the lease that serializes control requests on it.
-- transfer_status: dialing (the target is being called), connected (the target answered), failed (busy, unanswered,
-- refused; transfer_reason is Twilio's DialCallStatus or error code). The call's own status stays the caller's leg's.
alter table call add column transferred_to text;
alter table call add column transfer_mode text check (transfer_mode in ('cold', 'warm'));
alter table call add column transfer_status text check (transfer_status in ('dialing', 'connected', 'failed'));
alter table call add column transfer_reason text;
alter table call add column transfer_on_failure text check (transfer_on_failure in ('agent', 'hangup'));
alter table call add column transfer_requested_at timestamptz;
-- Said to the target once it answers, before it is connected to the caller (the <Number url> whisper).
alter table call add column transfer_announcement text;
-- CallControl's lease: the replica serving a control request on the call holds it until control_lease_until, so a
-- second request waits (a bounded while) instead of acting at once; a replica that stops lets it lapse.
alter table call add column control_lease uuid;
alter table call add column control_lease_until timestamptz;
