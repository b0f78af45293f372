DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TABLE audit_events;
DROP TABLE audit_head;
DROP TABLE refresh_tokens;
DROP TABLE users;
