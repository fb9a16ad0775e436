-- An answered inbound call to an imported number is recorded as its call row alone: the webhook's form, as Twilio sent
-- it, is kept on the row and shown as the call's voice-inbound event (CallRepository.events), where it used to be a
-- communication_event row of its own. One row and four index entries a call instead of two rows and seven: at the
-- rates the inbound-call webhook is answered, that write is most of what PostgreSQL does. Calls recorded before keep
-- their voice-inbound event rows, which are still shown.
alter table call add column inbound_form text;
alter table call add column inbound_received_at timestamptz;
