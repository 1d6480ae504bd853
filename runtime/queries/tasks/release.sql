-- claimed by the worker -> open; no row otherwise.
UPDATE tasks SET state = 'open', assignee = NULL, claimed_at = NULL
WHERE id = $1 AND state = 'claimed' AND assignee = $2
