-- batch.finished: recorded once, in the transaction that ends a batch's last call (or gives it its last outcome),
-- whatever path wrote it. A batch is finished when none of its calls is still to end and none that ended is owed a
-- retry by its batch's rules (the retry's row is written after the outcome that calls for it, see
-- call.CallRetryRepository). Statement-level, so a cancel that ends 10,000 calls in one statement checks its batch once.
alter table outbound_batch add column finished_event_at timestamptz;

-- The calls of a batch not yet ended: the check below is a probe of this index, not a scan of the batch.
create index call_batch_unfinished on call (batch_id)
    where batch_id is not null and status in ('queued', 'initiated', 'ringing', 'in-progress');

create function batch_finished_events() returns trigger language plpgsql as $$
declare
    b record;
    counts jsonb;
begin
    for b in select distinct n.batch_id, n.organization_id from new_rows n
              where n.batch_id is not null and n.status in ('completed', 'busy', 'no-answer', 'failed', 'canceled')
    loop
        -- One transaction at a time per batch: when its last two calls end in concurrent transactions, the second
        -- waits here for the first, and its next statement (a new snapshot) sees the first's call ended, so exactly
        -- one of them finds the batch done.
        perform 1 from outbound_batch where id = b.batch_id for update;
        continue when exists (select 1 from call c where c.batch_id = b.batch_id
                                and c.status in ('queued', 'initiated', 'ringing', 'in-progress'));
        continue when exists (
            select 1 from call c join outbound_batch ob on ob.id = c.batch_id
             where c.batch_id = b.batch_id and c.target_id is not null and ob.canceled_at is null
               and ob.retry_on is not null and c.attempt < ob.retry_max_attempts
               and (c.status = any(ob.retry_on)
                    or (c.status = 'completed' and 'machine' = any(ob.retry_on) and c.answered_by like 'machine%'))
               and not exists (select 1 from call r where r.target_id = c.target_id and r.attempt = c.attempt + 1));
        update outbound_batch set finished_event_at = now() where id = b.batch_id and finished_event_at is null;
        continue when not found;
        select jsonb_object_agg(status, n) into counts
          from (select status, count(*) as n from call where batch_id = b.batch_id group by status) s;
        perform record_event(b.organization_id, 'batch.finished', 'batch', b.batch_id, now(),
            jsonb_build_object('batchId', b.batch_id, 'counts', counts,
                               'canceled', (select canceled_at is not null from outbound_batch where id = b.batch_id)));
    end loop;
    return null;
end $$;

-- On updates only: every call of a batch is inserted queued (or skipped beside queued ones) and ends by an update.
-- An insert trigger would capture every inbound call the write-behind queue writes, on the hot path, for nothing.
create trigger batch_finished_on_update after update on call
    referencing new table as new_rows for each statement execute function batch_finished_events();
