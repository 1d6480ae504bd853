SELECT case_id, request_hash FROM idempotency_keys WHERE key = $1
