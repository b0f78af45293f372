DROP INDEX idempotency_keys_created_idx;
DROP TABLE idempotency_keys;
