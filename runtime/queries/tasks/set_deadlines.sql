-- The case's legal deadline moved (suspension, extension): unfinished tasks take it along and
-- their place in the queue follows.
UPDATE tasks
SET case_deadline = $2,
    queue_date = CASE WHEN due IS NULL THEN $2
                      WHEN $2 IS NULL THEN due
                      WHEN due < $2 THEN due
                      ELSE $2 END
WHERE case_id = $1 AND state IN ('open', 'claimed')
