INSERT INTO idempotency_keys (key, case_id, created_at, request_hash) VALUES ($1, $2, $3, $4)
