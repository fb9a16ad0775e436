-- The pace Twilio allows one account, when it is not switchboard.outbound's default: calls per second (raised
-- accounts have 5, 10, 30 CPS) and message segments per second and sender (the sender type decides it). Null: the
-- default. Read by every replica's claim, so a change applies to the next slot claimed (outbound.DispatchRepository).
alter table provider add column calls_per_second double precision check (calls_per_second > 0);
alter table provider add column segments_per_second double precision check (segments_per_second > 0);
