-- Due timers go to exactly one transaction: rows another transaction holds are skipped, not
-- waited for, and a fired timer is no longer pending.
UPDATE timers
SET state = 'fired', fired_at = $1
WHERE id IN (
    SELECT id FROM timers
    WHERE state = 'pending' AND at <= $1
    ORDER BY at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
RETURNING case_id, timer_key
