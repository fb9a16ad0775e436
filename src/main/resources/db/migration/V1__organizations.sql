create table organization (
    id          uuid primary key,
    name        text        not null check (length(name) between 1 and 100),
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

create table api_key (
    id               uuid primary key,
    organization_id  uuid        not null references organization (id) on delete cascade,
    key_hash         text        not null unique,
    key_prefix       text        not null,
    created_at       timestamptz not null,
    revoked_at       timestamptz
);

create index api_key_organization on api_key (organization_id, created_at, id);
