-- Event subscriptions (package event): an organization's own HTTPS receivers, the outbox of events, and one delivery
-- row per event and subscription with every attempt at it.
create table event_subscription (
    id                           uuid primary key,
    organization_id              uuid        not null references organization (id) on delete cascade,
    url                          text        not null,
    -- Event type names (event.EventTypes), or {'*'} for all of them.
    events                       text[]      not null,
    description                  text,
    -- The whsec_ signing secret, sealed like a provider's secrets (AES-256-GCM bound to the subscription and field).
    secret_enc                   text        not null,
    -- After a rotation the replaced secret signs beside the new one until previous_secret_expires_at.
    previous_secret_enc          text,
    previous_secret_expires_at   timestamptz,
    paused_at                    timestamptz,
    -- Why it was paused: 'api', or 'failing' when the service gave up on a delivery.
    paused_reason                text,
    created_at                   timestamptz not null,
    updated_at                   timestamptz not null
);

create index event_subscription_organization on event_subscription (organization_id, created_at, id);

-- The outbox. Every row is written by record_event, in the transaction of the change that caused it.
create table event (
    position         bigint generated always as identity primary key,
    -- The stable id receivers see (webhook-id), the same on every attempt and redelivery.
    id               uuid        not null unique,
    organization_id  uuid        not null references organization (id) on delete cascade,
    type             text        not null,
    occurred_at      timestamptz not null,
    -- The call, message, batch, number, provider or subscription the event is about (null for ping).
    resource_type    text,
    resource_id      uuid,
    -- 1, 2, 3, ... per resource, in the order its changes committed (the resource row's lock orders them).
    sequence         integer,
    data             jsonb       not null,
    -- The writing transaction: the replay list shows only events of transactions older than every one still running,
    -- ordered by (txid, position), so a cursor never passes an event that commits later (event.EventRepository).
    txid             xid8        not null default pg_current_xact_id()
);

create index event_organization on event (organization_id, txid, position);
create index event_resource on event (resource_id, sequence) where resource_id is not null;
create index event_occurred on event (occurred_at);

create table event_delivery (
    id                uuid primary key default gen_random_uuid(),
    event_position    bigint      not null references event (position) on delete cascade,
    subscription_id   uuid        not null references event_subscription (id) on delete cascade,
    -- The resource whose events are delivered in order: a later one waits while an earlier one is pending.
    ordering_key      uuid,
    state             text        not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz not null default now(),
    -- Set while an attempt is in flight; a lease that ran out (its replica died) makes the row due again.
    leased_until      timestamptz,
    first_attempt_at  timestamptz,
    delivered_at      timestamptz,
    unique (event_position, subscription_id)
);

create index event_delivery_due on event_delivery (next_attempt_at) where state = 'pending';
create index event_delivery_order on event_delivery (subscription_id, ordering_key, event_position)
    where state = 'pending';
create index event_delivery_subscription on event_delivery (subscription_id, event_position);
-- The attempts in flight (and leases run out), which every claim counts per subscription.
create index event_delivery_leased on event_delivery (subscription_id) where state = 'pending' and leased_until is not null;

create table event_delivery_attempt (
    id               bigint generated always as identity primary key,
    delivery_id      uuid        not null references event_delivery (id) on delete cascade,
    subscription_id  uuid        not null,
    attempt          integer     not null,
    attempted_at     timestamptz not null,
    -- delivered, failed (an answer other than 2xx), error (no answer: refused address, timeout, connection)
    outcome          text        not null,
    response_code    integer,
    latency_ms       integer,
    error            text
);

create index event_delivery_attempt_subscription on event_delivery_attempt (subscription_id, id);

-- Records one event and its deliveries: to every subscription of the organization that takes its type, or to
-- only_subscription alone (a ping). Nothing is recorded for an organization without subscriptions, so the hot paths
-- of an organization that never subscribed pay one index probe per change.
create function record_event(org uuid, event_type text, res_type text, res_id uuid, at timestamptz, payload jsonb,
                             only_subscription uuid default null) returns uuid language plpgsql as $$
declare
    new_id   uuid;
    new_pos  bigint;
    seq      integer;
begin
    if org is null or not exists (select 1 from event_subscription where organization_id = org) then
        return null;
    end if;
    if res_id is not null then
        select coalesce(max(sequence), 0) + 1 into seq from event where resource_id = res_id;
    end if;
    new_id := gen_random_uuid();
    insert into event (id, organization_id, type, occurred_at, resource_type, resource_id, sequence, data)
    values (new_id, org, event_type, coalesce(at, now()), res_type, res_id, seq, payload)
    returning position into new_pos;
    insert into event_delivery (event_position, subscription_id, ordering_key)
    select new_pos, s.id, res_id
      from event_subscription s
     where s.organization_id = org
       and (case when only_subscription is null
                 then s.events @> array['*'] or s.events @> array[event_type]
                 else s.id = only_subscription end);
    return new_id;
end $$;

-- Calls: every change of status (whatever path wrote it: callbacks, dispatch, reconciliation, hang-ups) and a
-- recording's arrival. The payload carries ids and outcomes, never a phone number.
create function call_event() returns trigger language plpgsql as $$
declare
    event_type text;
begin
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        event_type := case new.status
            when 'queued' then null
            when 'initiated' then 'call.initiated'
            when 'ringing' then 'call.ringing'
            when 'in-progress' then 'call.answered'
            else 'call.completed' end;
        if event_type is not null then
            perform record_event(new.organization_id, event_type, 'call', new.id, new.updated_at,
                jsonb_strip_nulls(jsonb_build_object('callId', new.id, 'batchId', new.batch_id, 'agentId', new.agent_id,
                    'phoneNumberId', new.phone_number_id, 'direction', new.direction, 'status', new.status,
                    'sid', new.sid, 'errorCode', new.error_code, 'answeredBy', new.answered_by,
                    'durationSeconds', new.duration_seconds, 'attempt', new.attempt)));
        end if;
    end if;
    if new.recording_url is not null and (tg_op = 'INSERT' or new.recording_url is distinct from old.recording_url) then
        perform record_event(new.organization_id, 'call.recording.completed', 'call', new.id, new.updated_at,
            jsonb_build_object('callId', new.id, 'recordingUrl', new.recording_url));
    end if;
    return null;
end $$;

create trigger call_event after insert or update of status, recording_url on call
    for each row execute function call_event();

-- Messages: sent, delivered, failed (failed and undelivered), received (an inbound message).
create function message_event() returns trigger language plpgsql as $$
declare
    event_type text;
begin
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        event_type := case new.status
            when 'sent' then 'message.sent'
            when 'delivered' then 'message.delivered'
            when 'read' then 'message.read'
            when 'failed' then 'message.failed'
            when 'undelivered' then 'message.failed'
            when 'received' then 'message.received'
            else null end;
        if event_type is not null then
            perform record_event(new.organization_id, event_type, 'message', new.id, new.updated_at,
                jsonb_strip_nulls(jsonb_build_object('messageId', new.id, 'direction', new.direction,
                    'status', new.status, 'sid', new.sid, 'errorCode', new.error_code,
                    'segments', new.segments)));
        end if;
    end if;
    return null;
end $$;

create trigger message_event after insert or update of status on message
    for each row execute function message_event();

-- Numbers imported and removed.
create function phone_number_event() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform record_event(new.organization_id, 'number.imported', 'number', new.id, now(),
            jsonb_build_object('phoneNumberId', new.id, 'providerId', new.provider_id));
        return null;
    end if;
    perform record_event(old.organization_id, 'number.deleted', 'number', old.id, now(),
        jsonb_build_object('phoneNumberId', old.id, 'providerId', old.provider_id));
    return null;
end $$;

create trigger phone_number_event after insert or delete on phone_number
    for each row execute function phone_number_event();

-- A provider whose verification newly failed.
create function provider_event() returns trigger language plpgsql as $$
begin
    if new.verification_status = 'failed' and old.verification_status is distinct from 'failed' then
        perform record_event(new.organization_id, 'provider.verification_failed', 'provider', new.id, now(),
            jsonb_build_object('providerId', new.id));
    end if;
    return null;
end $$;

create trigger provider_event after update of verification_status on provider
    for each row execute function provider_event();
