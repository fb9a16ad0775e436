-- The conversationRelay routing type: Twilio's <Connect><ConversationRelay url=…>, with the attributes it is given
-- (welcomeGreeting, language, voice, …) kept as a JSON object of string to string; '{}' for every other type.
alter table agent drop constraint agent_routing_type_check;
alter table agent add constraint agent_routing_type_check
    check (routing_type in ('stream', 'sip', 'number', 'conversationRelay'));
alter table agent add column routing_settings text not null default '{}';
