-- open -> claimed; no row when the task was not open.
UPDATE tasks SET state = 'claimed', assignee = $2, claimed_at = $3
WHERE id = $1 AND state = 'open'
