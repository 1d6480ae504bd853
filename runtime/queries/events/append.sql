-- The next number in the case's history. Callers hold the case row (lock or single writer), so
-- no two transactions take the same number.
INSERT INTO events (case_id, seq, at, actor, kind, data, reason)
SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6
FROM events
WHERE case_id = $1
