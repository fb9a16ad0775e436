-- When the latest create of an outbound call was sent: a call Twilio lists as created before it cannot be that create,
-- so reconciliation never adopts a call placed earlier between the same two numbers.
alter table call add column attempted_at timestamptz;
