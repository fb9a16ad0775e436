-- The call a message was sent during (POST /v1/calls/{id}/messages), null for any other message. No foreign key: the
-- history of a message outlives the call's row, as a call's outlives its agent.
alter table message add column call_id uuid;
