-- A warm transfer's target leg: the call Twilio placed when the target was added to the transfer's conference, so that
-- the leg can be ended when the conference ends before the target joins it (the caller hung up while it rang).
alter table call add column transfer_target_sid text;
