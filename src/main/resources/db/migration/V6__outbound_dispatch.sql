-- Outbound calls and messages: stored before the API answers 202, then placed by the dispatcher of any replica.
create table outbound_batch (
    id               uuid primary key,
    organization_id  uuid        not null references organization (id) on delete cascade,
    agent_id         uuid        not null,
    phone_number_id  uuid        not null,
    size             integer     not null,
    canceled_at      timestamptz,
    created_at       timestamptz not null
);

create index outbound_batch_organization on outbound_batch (organization_id, created_at, id);

-- dispatch_state (null for inbound rows):
--   waiting   not yet sent to Twilio; due at next_attempt_at
--   placing   claimed by one replica until claimed_until; a claim that outlives its lease may have reached Twilio,
--             so it is reconciled (never simply sent again)
--   ambiguous Twilio may have created it: reconciled, never resent blindly (see outbound.OutboundDispatcher)
--   done      the row carries Twilio's sid, or a final failed/canceled status
alter table call add column provider_id uuid;
alter table call add column dispatch_state text
    check (dispatch_state in ('waiting', 'placing', 'ambiguous', 'done'));
alter table call add column next_attempt_at timestamptz;
alter table call add column claimed_until timestamptz;
alter table call add column attempts integer not null default 0;
alter table call add column ambiguous_at timestamptz;
-- How many times an attempt found nothing after its grace period and was sent again: at most once.
alter table call add column resends integer not null default 0;
alter table call add column dispatch_error text;

create index call_dispatch_waiting on call (account_sid, next_attempt_at) where dispatch_state = 'waiting';
create index call_dispatch_recheck on call (next_attempt_at) where dispatch_state in ('placing', 'ambiguous');

alter table message add column provider_id uuid;
alter table message add column dispatch_state text
    check (dispatch_state in ('waiting', 'placing', 'ambiguous', 'done'));
alter table message add column next_attempt_at timestamptz;
alter table message add column claimed_until timestamptz;
alter table message add column attempts integer not null default 0;
alter table message add column ambiguous_at timestamptz;
alter table message add column dispatch_error text;

create index message_dispatch_waiting on message (from_number, next_attempt_at) where dispatch_state = 'waiting';
create index message_dispatch_recheck on message (next_attempt_at) where dispatch_state in ('placing', 'ambiguous');

-- The pace of one Twilio account's calls ('call:AC…') or one sender's messages ('sms:+1…'), shared by every replica:
-- the row is locked while a call or message is claimed, and next_at moves by 1/rate.
create table outbound_pace (
    key      text        primary key,
    next_at  timestamptz not null
);
