-- The encryption keys of each running replica, by id (the first 4 bytes of the key's SHA-256, never the key): the ones
-- it can read and the one it writes under, refreshed every heartbeat. A replica not seen for
-- switchboard.secrets.replica-timeout counts as gone. Secrets are re-sealed under a key only while every replica seen
-- lately reads it and writes under it (ReplicaKeys, SecretKeyRotation).
create table secret_key_reader (
    instance_id      text primary key,
    readable_key_ids text[]      not null,
    current_key_id   text        not null,
    started_at       timestamptz not null default now(),
    last_seen        timestamptz not null default now()
);
