-- The Twilio account a call or message belongs to: a callback is applied to a row only when the account that signed
-- it is the row's own, so a connected account cannot touch another's call by naming its sid.
alter table call add column account_sid text;
alter table message add column account_sid text;
