-- The US1 credentials of a provider outside us1 (SecretCipher values, like the other secrets). Regional credentials
-- authenticate only in their region, and Twilio serves some products only from US1 (messaging for au1).
alter table provider
    add column us1_auth_token_enc     text,
    add column us1_api_key_sid        text,
    add column us1_api_key_secret_enc text,
    add constraint provider_us1_credentials_outside_us1
        check (region <> 'us1' or (us1_auth_token_enc is null and us1_api_key_secret_enc is null)),
    add constraint provider_us1_api_key_whole
        check ((us1_api_key_sid is null) = (us1_api_key_secret_enc is null));
