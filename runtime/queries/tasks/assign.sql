-- (state, assignee) as read -> claimed by the new worker; no row when someone changed it meanwhile.
UPDATE tasks SET state = 'claimed', assignee = $4, claimed_at = $5
WHERE id = $1 AND state = $2
  AND (assignee = $3 OR (assignee IS NULL AND $3 IS NULL))
