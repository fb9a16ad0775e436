-- Campaign controls. A paused batch's waiting calls are not claimed until it is resumed (outbound.DispatchTable#held);
-- while paused, they wait at next_attempt_at = 'infinity' so the claim's index scan does not walk over them every tick.
alter table outbound_batch add column paused_at timestamptz;

-- A call's own stream parameters (its batch's with its target's over them), passed to the agent with the agent's.
alter table call add column parameters jsonb;
