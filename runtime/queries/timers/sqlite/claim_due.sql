-- SQLite has one writer at a time, and the state guard makes a fired timer unclaimable.
UPDATE timers
SET state = 'fired', fired_at = $1
WHERE id IN (
    SELECT id FROM timers
    WHERE state = 'pending' AND at <= $1
    ORDER BY at, id
    LIMIT $2
)
AND state = 'pending'
RETURNING case_id, timer_key
