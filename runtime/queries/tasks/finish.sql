-- claimed by the worker -> done with the outcome; no row otherwise.
UPDATE tasks SET state = 'done', outcome = $3, finished_at = $4
WHERE id = $1 AND state = 'claimed' AND assignee = $2
