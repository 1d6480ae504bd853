-- The tasks members of a team hold (who works on what), in queue order.
SELECT id, case_id, task_key, step, label, team, role, assignee, state, due, case_deadline, priority, outcome, created_at, claimed_at, finished_at
FROM tasks
WHERE team = $1 AND state = 'claimed'
ORDER BY queue_date NULLS LAST, priority DESC, created_at, id
LIMIT $2 OFFSET $3
