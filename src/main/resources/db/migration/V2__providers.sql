-- A connected Twilio account. Secrets are stored only as SecretCipher values (v1.<keyId>.<base64>).
create table provider (
    id                              uuid primary key,
    organization_id                 uuid        not null references organization (id) on delete cascade,
    name                            text        not null check (length(name) between 1 and 100),
    type                            text        not null check (type = 'twilio'),
    account_sid                     text        not null check (account_sid ~ '^AC[0-9a-f]{32}$'),
    region                          text        not null check (region in ('us1', 'ie1', 'au1')),
    edge                            text        not null,
    auth_token_enc                  text,
    api_key_sid                     text,
    api_key_secret_enc              text,
    -- The auth token before the last rotation: still accepted for webhook signatures until it expires.
    previous_auth_token_enc         text,
    previous_auth_token_expires_at  timestamptz,
    enable_transfers                boolean     not null default false,
    trunk_sid                       text,
    credential_list_sid             text,
    termination_uri                 text,
    sip_username                    text,
    sip_password_enc                text,
    verification_status             text        not null default 'pending'
        check (verification_status in ('pending', 'verified', 'warning', 'failed')),
    verification                    text,
    last_verified_at                timestamptz,
    created_at                      timestamptz not null,
    updated_at                      timestamptz not null,
    constraint provider_has_credentials check (auth_token_enc is not null or api_key_secret_enc is not null),
    constraint provider_account_region_unique unique (organization_id, account_sid, region)
);

create index provider_organization on provider (organization_id, created_at, id);
-- Webhooks name the account, not the organization.
create index provider_account on provider (account_sid);
-- The background verifier takes the provider checked longest ago.
create index provider_last_verified on provider (last_verified_at nulls first);
