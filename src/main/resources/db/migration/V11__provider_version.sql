-- Optimistic locking on provider: every write through the entity checks and bumps it, so a background verification
-- that read the row before a credential rotation committed cannot write the replaced token back.
alter table provider add column version bigint not null default 0;
