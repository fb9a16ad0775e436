-- The connection overrides (the URL fragment, empty for none) the number's webhook URLs were last registered with at
-- Twilio. Null: imported before registered URLs carried overrides. A number whose value differs from what the service
-- registers now is updated at Twilio after start-up (NumberWebhookUpgrade), and its value set.
alter table phone_number add column webhook_overrides text;
