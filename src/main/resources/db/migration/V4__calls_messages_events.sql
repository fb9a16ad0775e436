-- Calls and messages, and the record of every communication: each Twilio callback stored once.
create table call (
    id                uuid primary key,
    organization_id   uuid        not null references organization (id) on delete cascade,
    batch_id          uuid,
    -- Twilio's CallSid; null until Twilio has accepted an outbound call.
    sid               text unique,
    direction         text        not null check (direction in ('inbound', 'outbound')),
    from_number       text        not null,
    to_number         text        not null,
    -- No foreign keys: the history of a call outlives its agent and its number.
    agent_id          uuid,
    phone_number_id   uuid,
    status            text        not null check (status in ('queued', 'initiated', 'ringing', 'in-progress',
                                                             'completed', 'busy', 'no-answer', 'failed', 'canceled')),
    error_code        integer,
    -- The highest SequenceNumber applied, so a late callback never moves the status back.
    last_sequence     integer,
    created_at        timestamptz not null,
    answered_at       timestamptz,
    ended_at          timestamptz,
    duration_seconds  integer,
    recording_url     text,
    updated_at        timestamptz not null
);

create index call_organization on call (organization_id, created_at, id);
create index call_batch on call (batch_id) where batch_id is not null;

create table message (
    id               uuid primary key,
    organization_id  uuid        not null references organization (id) on delete cascade,
    sid              text unique,
    direction        text        not null check (direction in ('inbound', 'outbound')),
    from_number      text        not null,
    to_number        text        not null,
    body             text        not null,
    status           text        not null,
    error_code       integer,
    encoding         text,
    segments         integer,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index message_organization on message (organization_id, created_at, id);

create table communication_event (
    id               bigint generated always as identity primary key,
    -- Null while the sid is not known to the service: kept, never dropped.
    organization_id  uuid,
    resource_type    text        not null check (resource_type in ('call', 'message')),
    sid              text        not null,
    -- voice-inbound, voice-status, recording, sms-inbound, message-status
    type             text        not null,
    status           text,
    sequence_number  integer,
    received_at      timestamptz not null,
    -- Every parameter Twilio sent, unknown ones included, as a JSON object of arrays.
    params           jsonb       not null,
    -- I-Twilio-Idempotency-Token when present, else type|sid|status|sequence: a redelivery is stored once.
    dedupe_key       text        not null unique
);

create index communication_event_sid on communication_event (sid, id);

create table opt_out (
    organization_id  uuid        not null references organization (id) on delete cascade,
    number           text        not null,
    created_at       timestamptz not null,
    primary key (organization_id, number)
);
