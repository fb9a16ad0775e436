-- What Twilio said about a call's or message's error code: the status callback's ErrorMessage or the REST error's
-- message, else a description of the code (twilio.TwilioErrorCodes). Null while there is no error.
alter table call add column error_message text;
alter table message add column error_message text;
