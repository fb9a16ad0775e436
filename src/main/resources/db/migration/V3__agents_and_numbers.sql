create table agent (
    id               uuid primary key,
    organization_id  uuid        not null references organization (id) on delete cascade,
    name             text        not null check (length(name) between 1 and 100),
    routing_type     text        not null check (routing_type in ('stream', 'sip', 'number')),
    routing_target   text        not null,
    -- JSON object of string to string, handed to the agent as <Parameter>s.
    parameters       text        not null default '{}',
    recording        text        not null default 'off' check (recording in ('off', 'on')),
    transfer_number  text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index agent_organization on agent (organization_id, created_at, id);

create table phone_number (
    id               uuid primary key,
    organization_id  uuid        not null references organization (id) on delete cascade,
    provider_id      uuid        not null references provider (id),
    -- E.164, imported at most once across all organizations.
    number           text        not null unique check (number ~ '^\+[1-9][0-9]{1,14}$'),
    label            text,
    agent_id         uuid references agent (id),
    twilio_sid       text        not null,
    voice            boolean     not null,
    sms              boolean     not null,
    -- The number's webhook configuration before import (JSON), restored when it is deleted here.
    previous_config  text        not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index phone_number_organization on phone_number (organization_id, created_at, id);
create index phone_number_provider on phone_number (provider_id);
create index phone_number_agent on phone_number (agent_id);

-- Every change to what an inbound call is routed to tells every replica's routing table (LISTEN routing_changed).
create function notify_routing_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('routing_changed', tg_table_name || ':' || coalesce(new.id, old.id)::text);
    return null;
end $$;

create trigger phone_number_routing_changed after insert or update or delete on phone_number
    for each row execute function notify_routing_changed();
create trigger agent_routing_changed after update or delete on agent
    for each row execute function notify_routing_changed();
create trigger provider_routing_changed after insert or update or delete on provider
    for each row execute function notify_routing_changed();
