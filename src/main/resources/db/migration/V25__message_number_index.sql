-- GET /v1/messages?number= (either party): without these, the filter reads every message of the organization through
-- message_organization to find one number's. With them, the two index scans are OR-ed, and the page sorts only that
-- number's messages. created_at and id follow so a range (after, before) or a cursor is applied in the index too.
create index message_organization_from on message (organization_id, from_number, created_at, id);
create index message_organization_to on message (organization_id, to_number, created_at, id);
