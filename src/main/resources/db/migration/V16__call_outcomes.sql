-- Retries by outcome. A batch with a retry policy places a new attempt, after retry_after_seconds, of a target whose
-- call ended with one of retry_on (busy, no-answer, failed, machine), until retry_max_attempts attempts in all.
alter table outbound_batch add column retry_on text[];
alter table outbound_batch add column retry_max_attempts integer;
alter table outbound_batch add column retry_after_seconds integer;

-- Each attempt is its own call row: target_id is the id of the target's first call (its own id for that one), attempt
-- counts from 1. The unique index is what makes a retry happen once per ended attempt, however often its final status
-- callback arrives and whichever replica handles it.
alter table call add column target_id uuid;
alter table call add column attempt integer not null default 1;
create unique index call_target_attempt on call (target_id, attempt) where target_id is not null;

-- Answering machine detection per batch: null (off), 'hangup' ends a call a machine answered, 'message' leaves the
-- voicemail (voicemail_say text to speak, or voicemail_play an audio URL; neither: the agent's own TwiML) after the
-- beep. answered_by is Twilio's AnsweredBy for the call (human, machine_start, machine_end_beep, fax, unknown, ...).
alter table outbound_batch add column machine_detection text check (machine_detection in ('hangup', 'message'));
alter table outbound_batch add column voicemail_say text;
alter table outbound_batch add column voicemail_play text;
alter table call add column answered_by text;
