-- Campaign controls. A paused batch's waiting calls are not claimed until it is resumed (outbound.DispatchTable#held);
-- while paused, they wait at next_attempt_at = 'infinity' so the claim's index scan does not walk over them every tick.
alter table outbound_batch add column paused_at timestamptz;

-- A call's own stream parameters (its batch's with its target's over them), passed to the agent with the agent's.
alter table call add column parameters jsonb;

-- The organization's do-not-contact list, checked just before every call and message is sent. The opt-outs (an SMS
-- STOP reply, Twilio's 21610) are part of it as source 'stop', which a START reply lifts; a number added through the
-- API is source 'api', which only the API removes.
alter table opt_out rename to do_not_contact;
alter table do_not_contact add column source text not null default 'stop' check (source in ('stop', 'api'));
alter table do_not_contact alter column source drop default;
alter table do_not_contact add column reason text;

-- Why a send was not made at the moment it would have been (do_not_contact, agent_deleted, caller_id_deleted): the
-- row ended canceled instead.
alter table call add column skip_reason text;
alter table message add column skip_reason text;

-- A calling window in each target's local time: a call waits (its claim holds it) while the window is closed in any of
-- its time zones, derived from its number when the batch is accepted. window_days are ISO days of the week (1 Monday).
alter table outbound_batch add column window_start time;
alter table outbound_batch add column window_end time;
alter table outbound_batch add column window_days integer[];
alter table call add column time_zones text[];
